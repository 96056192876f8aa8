package dev.vpngw.dataplane.bgp;

import dev.vpngw.dataplane.bgp.attr.PathAttributes;
import dev.vpngw.dataplane.routing.Route;

/** The attributes a learned route arrived with, kept for re-advertisement (transit). */
public record BgpPathDetail(PathAttributes attributes) implements Route.RouteDetail {
  @Override
  public String asPathText() {
    return attributes.asPath() == null ? "" : attributes.asPath().azureString();
  }
}
