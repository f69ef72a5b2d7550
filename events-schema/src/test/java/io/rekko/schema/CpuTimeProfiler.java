package io.rekko.schema;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports operations per CPU-second of the benchmark process ({@code -prof
 * io.rekko.schema.CpuTimeProfiler}), next to JMH's wall-clock score.
 *
 * <p>Why: on a machine whose cores other work shares, the wall-clock score measures the share the
 * benchmark got, not the code. CPU time counts only this process's cycles, JIT and GC threads
 * included, so the figure is conservative for one dedicated core.
 */
public class CpuTimeProfiler implements InternalProfiler {
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuNanosBefore;

  @Override
  public String getDescription() {
    return "operations per CPU-second of the benchmark process";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    cpuNanosBefore = os.getProcessCpuTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type.
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    double cpuSeconds = (os.getProcessCpuTime() - cpuNanosBefore) / 1e9;
    double opsPerCpuSecond = result.getMetadata().getMeasuredOps() / cpuSeconds;
    return List.of(
        new ScalarResult("cpu.ops", opsPerCpuSecond, "ops/cpu-s", AggregationPolicy.AVG));
  }
}
