package dev.taillight.localruntime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads invocation events from a file or standard input, checking them the way Lambda's Invoke API does. */
public final class Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  /**
   * Reads the event in {@code file}, or from {@code stdin} when {@code file} is {@code -}.
   *
   * @throws IllegalArgumentException with a message naming the file and the problem: missing, unreadable, not
   *     UTF-8, or not JSON (with line and column), as Lambda rejects a payload that is not JSON
   */
  public static String read(String file, InputStream stdin) {
    byte[] bytes;
    String name = file.equals("-") ? "standard input" : file;
    try {
      bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("event file not found: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the event from " + name + ": " + e.getMessage());
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the event in " + name + " is not UTF-8 text");
    }
    checkJson(text, name);
    return text;
  }

  /**
   * Checks that {@code payload} is one JSON value.
   *
   * @throws IllegalArgumentException naming {@code source}, the line and column of the first problem
   */
  public static void checkJson(String payload, String source) {
    try (var parser = JSON.createParser(payload)) {
      if (parser.nextToken() == null) {
        throw new IllegalArgumentException("the event in " + source + " is empty: Lambda events are JSON");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("the event in " + source + " has more than one JSON value (line "
            + parser.currentLocation().getLineNr() + ")");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the event in " + source + " is not JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "): "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the event in " + source + ": " + e.getMessage());
    }
  }
}
