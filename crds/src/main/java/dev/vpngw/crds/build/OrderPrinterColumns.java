package dev.vpngw.crds.build;

import dev.vpngw.crds.v1alpha1.Connection;
import dev.vpngw.crds.v1alpha1.LocalNetworkGateway;
import dev.vpngw.crds.v1alpha1.VirtualNetworkGateway;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build step after the crd-generator (process-classes): puts each CRD's additionalPrinterColumns in
 * the order the {@link AdditionalPrinterColumn} annotations are declared, so {@code kubectl get}
 * reads like Azure's list (the generator sorts them by JSON path, putting Age first; see
 * fabric8io/kubernetes-client#7454). Only that block of the generated YAML is rearranged.
 */
public final class OrderPrinterColumns {
  private OrderPrinterColumns() {}

  private static final List<Class<? extends HasMetadata>> KINDS =
      List.of(VirtualNetworkGateway.class, LocalNetworkGateway.class, Connection.class);
  private static final Pattern NAME = Pattern.compile("^      name: \"(.*)\"$");

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (Class<? extends HasMetadata> kind : KINDS) {
      Path file = dir.resolve(HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind) + "-v1.yml");
      List<String> order = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name).toList();
      String yaml = Files.readString(file);
      String reordered = reorder(yaml, order);
      if (!reordered.equals(yaml)) {
        Files.writeString(file, reordered);
      }
    }
  }

  /** Reorders the entries of the "  - additionalPrinterColumns:" block; unknown names keep their place at the end. */
  static String reorder(String yaml, List<String> order) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    int start = lines.indexOf("  - additionalPrinterColumns:");
    if (start < 0) {
      return yaml;
    }
    int end = start + 1;
    var entries = new ArrayList<List<String>>();
    while (end < lines.size() && (lines.get(end).startsWith("    - ") || lines.get(end).startsWith("      "))) {
      if (lines.get(end).startsWith("    - ")) {
        entries.add(new ArrayList<>());
      }
      entries.getLast().add(lines.get(end));
      end++;
    }
    entries.sort((a, b) -> Integer.compare(rank(a, order), rank(b, order)));
    var out = new ArrayList<>(lines.subList(0, start + 1));
    entries.forEach(out::addAll);
    out.addAll(lines.subList(end, lines.size()));
    return String.join("\n", out) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static int rank(List<String> entry, List<String> order) {
    for (String line : entry) {
      // the first line is "    - description: ..." or "    - jsonPath: ..."; name is a later key
      Matcher m = NAME.matcher(line.startsWith("    - ") ? "      " + line.substring(6) : line);
      if (m.matches()) {
        int i = order.indexOf(m.group(1));
        return i < 0 ? order.size() : i;
      }
    }
    return order.size();
  }
}
