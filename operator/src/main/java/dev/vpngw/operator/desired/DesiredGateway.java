package dev.vpngw.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * The result of {@link GatewayDesiredState#desired}.
 *
 * @param objects the objects to apply, in order
 * @param selection which connections run and every validator finding
 * @param configRevisions the configuration revision of instance 0 and 1
 */
public record DesiredGateway(List<HasMetadata> objects, Selection selection, List<String> configRevisions) {}
