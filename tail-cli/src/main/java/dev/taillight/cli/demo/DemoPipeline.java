package dev.taillight.cli.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taillight.collector.LogSink;
import dev.taillight.localruntime.FunctionConfig;
import dev.taillight.localruntime.InvocationResult;
import dev.taillight.localruntime.InvokeRequest;
import dev.taillight.localruntime.LocalQueue;
import dev.taillight.localruntime.LocalRuntime;
import dev.taillight.localruntime.LocalSqs;
import dev.taillight.localruntime.SqsTrigger;
import dev.taillight.localruntime.RuntimeListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The example order pipeline running on this machine: {@code orders-api}, {@code payment-worker} and
 * {@code notifier} from the examples jar, each in the {@link LocalRuntime} (child JVMs under the real Lambda runtime
 * interface client), connected by two local SQS queues ({@link LocalSqs}, {@link SqsTrigger}). Every log line of every function goes to one
 * {@link LogSink}: the collector for {@code taillight demo}, CloudWatch Logs in the end-to-end test.
 *
 * <pre>{@code
 * try (DemoPipeline p = DemoPipeline.builder(jar).sink(collector).build()) {
 *   p.postOrder("{\"orderId\":\"o-1\",\"amount\":42.5}");   // as API Gateway would
 *   p.awaitIdle(Duration.ofSeconds(30));                    // until the queues are empty
 * }
 * }</pre>
 *
 * <p>Threading: {@link #postOrder} may be called from many threads; each call blocks for its orders-api
 * invocation. {@link #close} stops every environment and the queues.
 */
public final class DemoPipeline implements AutoCloseable {
  /** The three functions' names (and log groups {@code /aws/lambda/<name>}). */
  public static final List<String> FUNCTIONS = List.of("orders-api", "payment-worker", "notifier");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalSqs sqs;
  private final LocalRuntime orders;
  private final LocalRuntime payments;
  private final LocalRuntime notifier;
  private final List<LocalQueue> queues = new ArrayList<>();
  private final List<SqsTrigger> triggers = new ArrayList<>();
  private final AtomicInteger posting = new AtomicInteger();
  private final Clock clock;
  private final Random random;
  private final List<Finished> finished = new CopyOnWriteArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "taillight-demo-client");
    t.setDaemon(true);
    return t;
  });

  /** One finished invocation of one function, as the runtime reported it. */
  public record Finished(String function, InvocationResult result) {}

  private DemoPipeline(Builder b) {
    this.clock = b.clock;
    this.random = b.random;
    this.sqs = LocalSqs.start("us-east-1", "000000000000", b.clock, new Random(b.random.nextLong()));
    LocalRuntime o = null;
    LocalRuntime p = null;
    LocalRuntime n = null;
    try {
      Map<String, String> sqsEnv = Map.of("AWS_ENDPOINT_URL_SQS", sqs.endpoint());
      LocalQueue paymentsQueue = sqs.queue("payments");
      LocalQueue notificationsQueue = sqs.queue("notifications");
      queues.add(paymentsQueue);
      queues.add(notificationsQueue);
      n = runtime(b, FunctionConfig.builder("dev.taillight.instrumentation.TaillightHandler::handleRequest")
          .name("notifier").memoryMb(1024).timeout(b.workerTimeout)
          .env("TAILLIGHT_HANDLER", "dev.taillight.examples.Notifier::handleRequest"));
      p = runtime(b, FunctionConfig.builder("dev.taillight.examples.PaymentWorker::handleRequest")
          .name("payment-worker").memoryMb(512).timeout(b.workerTimeout).env(sqsEnv)
          .env("NOTIFICATIONS_QUEUE_URL", notificationsQueue.url()));
      // The class name alone: the runtime reads the event type from TracedRequestHandler<I, O>.
      o = runtime(b, FunctionConfig.builder("dev.taillight.examples.OrdersApi")
          .name("orders-api").memoryMb(512).timeout(b.apiTimeout).env(sqsEnv)
          .env("PAYMENTS_QUEUE_URL", paymentsQueue.url()));
      triggers.add(SqsTrigger.start(paymentsQueue, p, 10, b.maxReceiveCount, b.concurrency));
      triggers.add(SqsTrigger.start(notificationsQueue, n, 10, b.maxReceiveCount, b.concurrency));
    } catch (RuntimeException e) {
      triggers.forEach(SqsTrigger::close);
      closeQuietly(o);
      closeQuietly(p);
      closeQuietly(n);
      sqs.close();
      throw e;
    }
    this.orders = o;
    this.payments = p;
    this.notifier = n;
  }

  /** A builder for the pipeline running the functions in {@code examplesJar}. */
  public static Builder builder(Path examplesJar) {
    return new Builder(examplesJar);
  }

  private LocalRuntime runtime(Builder b, FunctionConfig.Builder fn) {
    FunctionConfig config = fn.classpath(b.jar).build();
    String name = config.name();
    RuntimeListener mine = new RuntimeListener() {
      @Override
      public void environmentStarted(String logStream, String initializationType) {
        b.listener.environmentStarted(logStream, initializationType);
      }

      @Override
      public void environmentStopped(String logStream, String reason) {
        b.listener.environmentStopped(logStream, reason);
      }

      @Override
      public void throttled(InvocationResult result) {
        b.listener.throttled(result);
      }

      @Override
      public void invocationFinished(InvocationResult result) {
        finished.add(new Finished(name, result));
        b.listener.invocationFinished(result);
      }
    };
    return LocalRuntime.builder()
        .function(config)
        .sink(b.sink)
        .clock(b.clock)
        .random(new Random(b.random.nextLong()))
        .maxConcurrency(b.concurrency)
        .idleTimeout(b.idleTimeout)
        .initTimeout(b.initTimeout)
        .listener(mine)
        .build();
  }

  /**
   * Posts an order to orders-api the way an API Gateway HTTP API (payload format 2.0) would, and waits for the
   * invocation; the rest of the pipeline runs on through the queues.
   */
  public InvocationResult postOrder(String orderJson) {
    posting.incrementAndGet();
    try {
      return orders.invoke(InvokeRequest.of(httpApiEvent(orderJson)));
    } finally {
      posting.decrementAndGet();
    }
  }

  /** {@link #postOrder} on another thread. */
  public CompletableFuture<InvocationResult> postOrderAsync(String orderJson) {
    return CompletableFuture.supplyAsync(() -> postOrder(orderJson), callers);
  }

  /**
   * Blocks until nothing is happening any more (no order being posted, both queues empty, no environment busy,
   * for half a second in a row) or {@code timeout} passed; returns whether it went quiet.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (quiet < 5) {
      if (System.nanoTime() > end) {
        return false;
      }
      quiet = busy() ? 0 : quiet + 1;
      Thread.sleep(100);
    }
    return true;
  }

  private boolean busy() {
    if (posting.get() > 0 || queues.stream().anyMatch(q -> q.size() > 0)) {
      return true;
    }
    for (LocalRuntime r : List.of(orders, payments, notifier)) {
      if (r.environments().stream().anyMatch(LocalRuntime.EnvironmentInfo::busy)) {
        return true;
      }
    }
    return false;
  }

  /** Every finished invocation so far, of every function, in the order they finished. */
  public List<Finished> finished() {
    return List.copyOf(finished);
  }

  /** Messages that failed every delivery, of both queues. */
  public List<LocalQueue.Message> deadLetters() {
    List<LocalQueue.Message> out = new ArrayList<>();
    queues.forEach(q -> out.addAll(q.deadLetters()));
    return out;
  }

  /** The runtime of one function ({@code orders-api}, {@code payment-worker}, {@code notifier}). */
  public LocalRuntime runtime(String function) {
    return switch (function) {
      case "orders-api" -> orders;
      case "payment-worker" -> payments;
      case "notifier" -> notifier;
      default -> throw new IllegalArgumentException("no function " + function + "; functions: " + FUNCTIONS);
    };
  }

  /** The API Gateway HTTP API (payload format 2.0) event for {@code POST /orders} with this body. */
  String httpApiEvent(String body) {
    Instant now = clock.instant();
    String requestId = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    ObjectNode e = JSON.createObjectNode();
    e.put("version", "2.0");
    e.put("routeKey", "POST /orders");
    e.put("rawPath", "/orders");
    e.put("rawQueryString", "");
    ObjectNode h = e.putObject("headers");
    h.put("content-type", "application/json");
    h.put("host", "localhost");
    h.put("user-agent", "taillight-demo");
    ObjectNode rc = e.putObject("requestContext");
    rc.put("accountId", "000000000000");
    rc.put("apiId", "local");
    rc.put("domainName", "localhost");
    rc.put("domainPrefix", "local");
    ObjectNode http = rc.putObject("http");
    http.put("method", "POST");
    http.put("path", "/orders");
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "127.0.0.1");
    http.put("userAgent", "taillight-demo");
    rc.put("requestId", requestId);
    rc.put("routeKey", "POST /orders");
    rc.put("stage", "$default");
    rc.put("time", DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
        .format(now.atOffset(ZoneOffset.UTC)));
    rc.put("timeEpoch", now.toEpochMilli());
    e.put("body", body);
    e.put("isBase64Encoded", false);
    return e.toString();
  }

  @Override
  public void close() {
    triggers.forEach(SqsTrigger::close);
    sqs.close();
    callers.shutdownNow();
    closeQuietly(orders);
    closeQuietly(payments);
    closeQuietly(notifier);
  }

  private static void closeQuietly(LocalRuntime r) {
    if (r != null) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // closing the others matters more
      }
    }
  }

  /** Builds a {@link DemoPipeline}; only the jar is required. */
  public static final class Builder {
    private final Path jar;
    private LogSink sink = LogSink.noop();
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();
    private RuntimeListener listener = RuntimeListener.noop();
    private Duration apiTimeout = Duration.ofSeconds(10);
    private Duration workerTimeout = Duration.ofSeconds(15);
    private Duration initTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofMinutes(10);
    private int maxReceiveCount = 2;
    private int concurrency = 4;

    private Builder(Path jar) {
      this.jar = requireNonNull(jar, "jar");
    }

    /** Where every log line of the three functions goes. Default: dropped. */
    public Builder sink(LogSink sink) {
      this.sink = requireNonNull(sink, "sink");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Seeds request ids, log streams and message ids. */
    public Builder random(Random random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** Hears environments start and stop and invocations finish, in every function. */
    public Builder listener(RuntimeListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How long an environment may take to initialise. Default 30 s: three times Lambda's 10 s, because several JVMs
     * starting at once on a laptop are slower than Lambda's.
     */
    public Builder initTimeout(Duration initTimeout) {
      this.initTimeout = requireNonNull(initTimeout, "initTimeout");
      return this;
    }

    /** payment-worker's and notifier's function timeout. Default 15 s. */
    public Builder workerTimeout(Duration workerTimeout) {
      this.workerTimeout = requireNonNull(workerTimeout, "workerTimeout");
      return this;
    }

    /** orders-api's function timeout. Default 10 s (a cold JVM's first SDK call can take seconds locally). */
    public Builder apiTimeout(Duration apiTimeout) {
      this.apiTimeout = requireNonNull(apiTimeout, "apiTimeout");
      return this;
    }

    /** Deliveries of a failing message before it is dead. Default 2. */
    public Builder maxReceiveCount(int maxReceiveCount) {
      this.maxReceiveCount = maxReceiveCount;
      return this;
    }

    /** Most environments per function. Default 4. */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** How long an idle environment lives. Default 10 minutes. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * Starts the queues and the three functions' runtimes (environments start on the first invocation).
     *
     * @throws IllegalArgumentException when the jar does not exist
     */
    public DemoPipeline build() {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("examples jar not found: " + jar);
      }
      return new DemoPipeline(this);
    }
  }
}
