package dev.vpngw.operator.desired;

import dev.vpngw.crds.v1alpha1.GatewaySku;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * CPU and memory of one gateway pod per SKU (documented in docs/gateway-pods.md). Sized from
 * Azure's aggregate throughput per SKU: userspace ESP costs roughly one core per 1 Gbps with
 * AES-GCM, and an IKE SA plus its tunnel state is a few hundred KiB, so memory grows with the
 * tunnel limit. The AZ variants get the same as their non-AZ SKU (they differ only in placement).
 */
public enum SkuResources {
  BASIC("250m", "1", "384Mi", "512Mi"),
  GW1("500m", "1", "512Mi", "768Mi"),
  GW2("1", "2", "768Mi", "1Gi"),
  GW3("2", "3", "1Gi", "1536Mi"),
  GW4("3", "5", "1536Mi", "2Gi"),
  GW5("4", "8", "2Gi", "3Gi");

  private final String cpuRequest;
  private final String cpuLimit;
  private final String memoryRequest;
  private final String memoryLimit;

  SkuResources(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {
    this.cpuRequest = cpuRequest;
    this.cpuLimit = cpuLimit;
    this.memoryRequest = memoryRequest;
    this.memoryLimit = memoryLimit;
  }

  public static SkuResources of(GatewaySku sku) {
    return switch (sku) {
      case Basic -> BASIC;
      case VpnGw1, VpnGw1AZ -> GW1;
      case VpnGw2, VpnGw2AZ -> GW2;
      case VpnGw3, VpnGw3AZ -> GW3;
      case VpnGw4, VpnGw4AZ -> GW4;
      case VpnGw5, VpnGw5AZ -> GW5;
    };
  }

  public ResourceRequirements requirements() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(cpuRequest))
        .addToRequests("memory", new Quantity(memoryRequest))
        .addToLimits("cpu", new Quantity(cpuLimit))
        .addToLimits("memory", new Quantity(memoryLimit))
        .build();
  }

  public String cpuRequest() {
    return cpuRequest;
  }

  public String cpuLimit() {
    return cpuLimit;
  }

  public String memoryRequest() {
    return memoryRequest;
  }

  public String memoryLimit() {
    return memoryLimit;
  }
}
