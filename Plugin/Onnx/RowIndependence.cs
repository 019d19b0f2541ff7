using EcsNeural.Components;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Plugin.Onnx;

/// <summary>
/// Whether an export can take any number of samples: every exported value must either be batch-free (computed from
/// parameters alone) or hold one row per sample, each computed from that sample's rows only. Rows are then free to
/// grow or shrink, because the ONNX mappings never bake in the batch (Reshape uses −1, Tile repeats columns only).
/// Each op declares how it treats rows (<see cref="OpDescription.Rows"/>).
/// </summary>
internal static class RowIndependence
{
    /// <summary>The verdict on the exported nodes.</summary>
    /// <param name="PerSample">Per node: its rows are the samples (inputs and what is computed row by row from them).</param>
    /// <param name="Rows">The inputs' rows: the graph's batch (0 when no input is exported).</param>
    /// <param name="Mixing">Null when rows stay independent, else a sentence naming the first node that mixes them.</param>
    public readonly record struct Verdict(bool[] PerSample, int Rows, string? Mixing);

    /// <summary>The verdict on the nodes marked in <paramref name="needed"/> (in creation order, which is topological).</summary>
    public static Verdict Check(GraphTable table, bool[] needed)
    {
        var perSample = new bool[needed.Length];
        int rows = 0, firstInput = -1;
        for (int n = 0; n < needed.Length; n++)
        {
            if (!needed[n])
                continue;
            NodeRecord record = table.Records[n];
            if (record.Op == OpCode.Input)
            {
                if (firstInput < 0)
                    (firstInput, rows) = (n, record.Shape.Rows);
                if (record.Shape.Rows != rows)
                    return new(perSample, rows, $"input {table.Nodes[n]} has {record.Shape.Rows} rows but input {table.Nodes[firstInput]} has {rows}");
                perSample[n] = true;
                continue;
            }
            bool fromSamples = false;
            foreach (int input in record.Inputs)
                fromSamples |= perSample[input];
            if (!fromSamples)
                continue;   // parameters and what is computed from them alone: the same for every batch size
            string? mixing = Mixing(record, perSample, table);
            if (mixing is not null)
                return new(perSample, rows, $"node {table.Nodes[n]} ({record.Op}) {mixing}");
            perSample[n] = true;
        }
        return new(perSample, rows, null);
    }

    /// <summary>Null when row r of the node depends only on row r of its per-sample operands, else why not.</summary>
    private static string? Mixing(NodeRecord record, bool[] perSample, GraphTable table)
    {
        int[] x = record.Inputs;
        switch (Operations.Of(record.Op).Rows)
        {
            case RowRule.Independent:
                return null;
            case RowRule.BroadcastOperands:
                // Broadcasting a single row (or element) applies the same values to every sample; anything else that is not a
                // sample itself has the batch's rows baked in.
                foreach (int input in x)
                {
                    NodeShape shape = table.Records[input].Shape;
                    if (!perSample[input] && shape.Rows != 1)
                        return $"combines the samples with a [{shape.Rows}×{shape.Cols}] operand not computed from them, {table.Nodes[input]}";
                }
                return null;
            case RowRule.SamplesOnLeft:
                // The samples must be the left operand's rows; the right operand (weights) must not depend on them.
                for (int k = 1; k < x.Length; k++)
                {
                    if (perSample[x[k]])
                        return $"uses samples as its operand {k} ({table.Nodes[x[k]]}), so it combines rows of different samples";
                }
                return null;
            default:
                return "combines rows of different samples";
        }
    }
}
