using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EcsNeural.Benchmarks.Determinism;

/// <summary>One way to make .NET use less of the CPU than it has: a runtime environment variable and its value.</summary>
public sealed record InstructionSetSetting(string Variable, string Value)
{
    /// <summary>The CPU as the process sees it, none of the variables set.</summary>
    public static readonly InstructionSetSetting Native = new("", "");

    /// <summary>The settings the portable mode is tested under (on .NET 10 the AVX-512 switch is EnableAVX512, not …AVX512F).</summary>
    public static readonly IReadOnlyList<InstructionSetSetting> Reduced =
    [
        new("DOTNET_EnableAVX512", "0"),
        new("DOTNET_PreferredVectorBitWidth", "256"),
        new("DOTNET_PreferredVectorBitWidth", "128"),
        new("DOTNET_EnableAVX2", "0"),
        new("DOTNET_EnableHWIntrinsic", "0"),
    ];

    public override string ToString() => Variable.Length == 0 ? "(as the CPU is)" : $"{Variable}={Value}";

    /// <summary>What this process's JIT uses, e.g. "vector 512, FMA".</summary>
    public static string Describe()
        => $"vector {(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0)}"
            + $"{(Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? ", FMA" : ", no FMA")}"
            + $"{(Avx512F.IsSupported ? ", AVX-512 instructions" : "")}";

    /// <summary>
    /// Runs this benchmark program again as a child process under this setting (the runtime variables the parent may have
    /// set are removed first) and returns its standard output lines; throws naming the setting when it fails.
    /// </summary>
    public IReadOnlyList<string> RunChild(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(InstructionSetSetting).Assembly.Location);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (InstructionSetSetting setting in Reduced)
            start.Environment.Remove(setting.Variable);
        if (Variable.Length > 0)
            start.Environment[Variable] = Value;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start a child process for {this}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The child process under {this} did not finish within {timeout.TotalSeconds:F0} s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The child process under {this} failed (exit code {process.ExitCode}): {error.Result}{output.Result}");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
