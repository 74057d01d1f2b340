package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code harness.kubernetes}: which Kubernetes API {@code ucloud-im serve} works on.
 *
 * @param mode       {@code embedded}, {@code kubeconfig} (default) or {@code in-cluster}
 * @param kubeconfig the kubeconfig file (mode {@code kubeconfig} only); a relative path is relative to the
 *                   configuration file's folder. Absent: the standard lookup ({@code $KUBECONFIG}, else
 *                   {@code ~/.kube/config})
 * @param context    the kubeconfig context to use (mode {@code kubeconfig} only); absent: the current context
 * @param embedded   the simulated guests of mode {@code embedded} (read in that mode only)
 */
public record HarnessKubernetesConfig(
        @ConfigDefault("kubeconfig") KubernetesMode mode,
        Optional<String> kubeconfig,
        Optional<String> context,
        @ConfigDefault("{}") HarnessEmbeddedConfig embedded
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        checkOnlyForKubeconfig("kubeconfig", kubeconfig, problems);
        checkOnlyForKubeconfig("context", context, problems);
        return problems;
    }

    private void checkOnlyForKubeconfig(String key, Optional<String> value, List<ConfigProblem> problems) {
        if (value.isEmpty()) {
            return;
        }
        if (value.get().isBlank()) {
            problems.add(new ConfigProblem(key, "must not be empty when given"));
        } else if (mode != null && mode != KubernetesMode.KUBECONFIG) {
            problems.add(new ConfigProblem(key, "is only read in mode kubeconfig, but mode is " + mode.configName()
                    + "; remove it or set mode: kubeconfig"));
        }
    }
}
