package dev.taillight.localruntime;

/** The log format of a function, as Lambda's {@code LoggingConfig.LogFormat}: plain text or JSON lines. */
public enum LogFormat {
  /** Platform lines as {@code START RequestId: ...}; the runtime's logger writes plain text. */
  TEXT,
  /** Platform lines as {@code {"time":...,"type":"platform.start","record":{...}}}; the logger writes JSON. */
  JSON
}
