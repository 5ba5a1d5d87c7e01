package dev.flyext.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson configuration of the SDK: strict about duplicates, bounded in depth. */
public final class Json {
  /** Deepest nesting accepted in any message; Fly's own messages nest three levels. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Longest string value accepted; bodies are capped well below the JSON default. */
  public static final int MAX_STRING_LENGTH = 1 << 20;

  /** Longest number literal accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 64;

  private static final ObjectMapper MAPPER = createMapper();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Writes JSON to bytes with a generator; the callback writes exactly one value.
   *
   * @throws UncheckedIOException only if the callback misuses the generator
   */
  public static byte[] write(JsonWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
      writer.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write JSON", e);
    }
    return out.toByteArray();
  }

  /** Writes a {@code JsonNode} value (from a model's extras) into a generator. */
  public static void writeNode(JsonGenerator generator, JsonNode node) throws IOException {
    MAPPER.writeTree(generator, node);
  }

  /** Writes one value with a generator. */
  @FunctionalInterface
  public interface JsonWriter {
    void write(JsonGenerator generator) throws IOException;
  }

  private static ObjectMapper createMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();
    // Every message is read as a tree, so duplicates are caught where the tree takes each key;
    // the parser's own detection would keep a set of names per object on top.
    return JsonMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }
}
