package dev.flyext.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flyext.ProvisionRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Reading a provisioning request: the SDK's typed parse against plain Jackson data binding. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ParseBenchmark {
  private byte[] body;
  private ObjectMapper plainMapper;

  /** The same fields as {@link ProvisionRequest}, bound the way an application would. */
  record PlainProvision(
      String name,
      String id,
      @JsonProperty("organization_id") String organizationId,
      @JsonProperty("organization_name") String organizationName,
      @JsonProperty("user_id") String userId,
      @JsonProperty("user_email") String userEmail,
      @JsonProperty("user_role") String userRole,
      @JsonProperty("primary_region") @Nullable String primaryRegion,
      @JsonProperty("read_regions") @Nullable List<String> readRegions,
      @JsonProperty("ip_address") @Nullable String ipAddress,
      String url,
      String nonce,
      long timestamp,
      @Nullable JsonNode options) {}

  @Setup
  public void setUp() throws IOException {
    body = Fixtures.provisionBodyWithOptions(Fixtures.nonce(), Instant.now());
    plainMapper = JsonMapper.builder().build();

    PlainProvision plain = jacksonBinding();
    ProvisionRequest sdk = sdkParse();
    if (!plain.id().equals(sdk.id()) || plain.timestamp() != sdk.timestamp().getEpochSecond()) {
      throw new IllegalStateException("the two parsers disagree on the same body");
    }
  }

  @Benchmark
  public ProvisionRequest sdkParse() {
    return ProvisionRequest.parse(body);
  }

  @Benchmark
  public PlainProvision jacksonBinding() throws IOException {
    return plainMapper.readValue(body, PlainProvision.class);
  }
}
