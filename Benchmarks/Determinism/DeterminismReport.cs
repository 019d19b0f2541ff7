using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks.Determinism;

/// <summary>
/// <c>determinism</c>: where results can depend on more than the inputs. First the span-placement probe, then the
/// checksum runs (<see cref="ChecksumTraining"/>) in both numerics modes, repeated in child processes under each reduced
/// instruction-set setting, each line compared with the run on the CPU as it is.
/// </summary>
public static class DeterminismReport
{
    /// <summary>Prints the probe, every mode's checksum lines under every setting, and a summary table.</summary>
    public static int Execute(int steps, int workers, TextWriter output)
    {
        SpanPlacementProbe.Run(output);
        var summary = new List<(NumericsMode Mode, InstructionSetSetting Setting, int Same, int Lines)>();
        foreach (NumericsMode mode in new[] { NumericsMode.Fast, NumericsMode.Portable })
        {
            output.WriteLine();
            output.WriteLine($"{mode} numerics: training checksums ({steps} steps, {workers} workers) in child processes under each setting, "
                + "compared with the CPU as it is:");
            IReadOnlyList<string> native = Run(InstructionSetSetting.Native, steps, workers, mode, out string nativeCpu);
            output.WriteLine($"  {InstructionSetSetting.Native} [{nativeCpu}]");
            foreach (string line in native)
                output.WriteLine($"    {line}");
            foreach (InstructionSetSetting setting in InstructionSetSetting.Reduced)
            {
                IReadOnlyList<string> lines = Run(setting, steps, workers, mode, out string cpu);
                output.WriteLine($"  {setting} [{cpu}]");
                int same = 0;
                for (int i = 0; i < lines.Count; i++)
                {
                    bool equal = i < native.Count && lines[i] == native[i];
                    same += equal ? 1 : 0;
                    output.WriteLine($"    {(equal ? "same" : "DIFFERS")}  {lines[i]}");
                }
                summary.Add((mode, setting, same, Math.Max(lines.Count, native.Count)));
            }
        }
        output.WriteLine();
        output.WriteLine("Summary: checksum lines (element math, population, float network, double network) equal to the CPU as it is");
        output.WriteLine($"  {"setting",-36} {"fast",8} {"portable",9}");
        foreach (InstructionSetSetting setting in InstructionSetSetting.Reduced)
        {
            string Cell(NumericsMode mode) => summary.Where(s => s.Mode == mode && s.Setting == setting).Select(s => $"{s.Same}/{s.Lines}").Single();
            output.WriteLine($"  {setting,-36} {Cell(NumericsMode.Fast),8} {Cell(NumericsMode.Portable),9}");
        }
        return 0;
    }

    /// <summary>The checksum lines of one child run, and the CPU line it reported.</summary>
    public static IReadOnlyList<string> Run(InstructionSetSetting setting, int steps, int workers, NumericsMode numerics, out string cpu)
    {
        IReadOnlyList<string> lines = setting.RunChild(
            ["checksums", "--steps", $"{steps}", "--workers", $"{workers}", "--numerics", numerics.ToString().ToLowerInvariant()], TimeSpan.FromMinutes(10));
        cpu = lines.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))?[4..] ?? "?";
        return [.. lines.Where(l => !l.StartsWith("cpu ", StringComparison.Ordinal))];
    }

    /// <summary>The child's side: prints the CPU line and the checksum lines.</summary>
    public static int Checksums(int steps, int workers, NumericsMode numerics, TextWriter output)
    {
        output.WriteLine($"cpu {InstructionSetSetting.Describe()}");
        foreach (string line in ChecksumTraining.RunAll(steps, workers, numerics))
            output.WriteLine(line);
        return 0;
    }
}
