package dev.flyext.benchmarks;

import dev.flyext.ProviderException;
import dev.flyext.ProviderHandler;
import dev.flyext.ProvisionRequest;
import dev.flyext.ProvisionResult;
import dev.flyext.Resource;
import dev.flyext.ResourceRequest;
import dev.flyext.UpdateRequest;
import java.util.Optional;

/**
 * A handler that does no work of its own, so what is measured is the SDK: it answers every
 * provision and every GET with the same prepared values the bare servlet sends as bytes.
 */
final class BenchHandler implements ProviderHandler {
  @Override
  public ProvisionResult provision(ProvisionRequest request) {
    return Fixtures.PROVISION_RESULT;
  }

  @Override
  public Optional<Resource> get(ResourceRequest request) {
    return Optional.of(Fixtures.RESOURCE);
  }

  @Override
  public Resource update(UpdateRequest request) {
    throw ProviderException.invalidRequest("the benchmark does not update");
  }

  @Override
  public void delete(ResourceRequest request) {
    throw ProviderException.invalidRequest("the benchmark does not delete");
  }
}
