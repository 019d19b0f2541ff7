namespace EcsNeural.Benchmarks.Determinism;

/// <summary>
/// <c>determinism</c>: where results can depend on more than the inputs. First the span-placement probe, then the
/// checksum runs (<see cref="ChecksumTraining"/>) repeated in child processes under each reduced instruction-set
/// setting, each line compared with the run on the CPU as it is.
/// </summary>
public static class DeterminismReport
{
    public static int Execute(int steps, int workers, TextWriter output)
    {
        SpanPlacementProbe.Run(output);
        output.WriteLine();
        output.WriteLine($"Training checksums ({steps} steps, {workers} workers) in child processes under each setting, compared with the CPU as it is:");
        IReadOnlyList<string> native = Run(InstructionSetSetting.Native, steps, workers, out string nativeCpu);
        output.WriteLine($"  {InstructionSetSetting.Native} [{nativeCpu}]");
        foreach (string line in native)
            output.WriteLine($"    {line}");
        foreach (InstructionSetSetting setting in InstructionSetSetting.Reduced)
        {
            IReadOnlyList<string> lines = Run(setting, steps, workers, out string cpu);
            output.WriteLine($"  {setting} [{cpu}]");
            for (int i = 0; i < lines.Count; i++)
            {
                bool same = i < native.Count && lines[i] == native[i];
                output.WriteLine($"    {(same ? "same" : "DIFFERS")}  {lines[i]}");
            }
        }
        return 0;
    }

    /// <summary>The checksum lines of one child run, and the CPU line it reported.</summary>
    public static IReadOnlyList<string> Run(InstructionSetSetting setting, int steps, int workers, out string cpu)
    {
        IReadOnlyList<string> lines = setting.RunChild(["checksums", "--steps", $"{steps}", "--workers", $"{workers}"], TimeSpan.FromMinutes(10));
        cpu = lines.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))?[4..] ?? "?";
        return [.. lines.Where(l => !l.StartsWith("cpu ", StringComparison.Ordinal))];
    }

    /// <summary>The child's side: prints the CPU line and the checksum lines.</summary>
    public static int Checksums(int steps, int workers, TextWriter output)
    {
        output.WriteLine($"cpu {InstructionSetSetting.Describe()}");
        foreach (string line in ChecksumTraining.RunAll(steps, workers))
            output.WriteLine(line);
        return 0;
    }
}
