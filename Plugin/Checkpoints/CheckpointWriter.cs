using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>Serialises a graph into the <see cref="CheckpointFormat"/> bytes.</summary>
internal static class CheckpointWriter
{
    public static byte[] Write<T>(ComputeGraph<T> graph) where T : unmanaged, IFloatingPointIeee754<T>
    {
        GraphTable table = GraphTable.Of(graph);
        OptimizerOptions optimizer = graph.Optimizer;
        int stateTensors = graph.InferenceOnly ? 0 : optimizer.StateTensors;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(CheckpointFormat.Magic);
            w.Write((uint)CheckpointFormat.Version);
            w.Write(0UL);   // file length, patched below
            w.Write((byte)System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
            w.Write(graph.InstanceCount);
            w.Write(table.Records.Length);
            foreach (NodeRecord node in table.Records)
            {
                w.Write((byte)node.Op);
                w.Write(node.Scalar);
                w.Write(node.Pieces);
                w.Write(node.Shape.Rows);
                w.Write(node.Shape.Cols);
                w.Write(node.Trainable ? (byte)1 : (byte)0);
                w.Write((byte)node.Inputs.Length);
                foreach (int input in node.Inputs)
                    w.Write(input);
            }
            w.Write(table.Loss);
            w.Write((byte)optimizer.Kind);
            w.Write(optimizer.LearningRate);
            w.Write(optimizer.MomentumCoefficient);
            w.Write(optimizer.Beta1);
            w.Write(optimizer.Beta2);
            w.Write(optimizer.Epsilon);
            w.Write((byte)stateTensors);
            for (int i = 0; i < graph.InstanceCount; i++)
                w.Write(graph.OptimizerSteps(i));
            for (int n = 0; n < table.Nodes.Length; n++)
            {
                if (!table.Records[n].Trainable)
                    continue;
                w.Write(MemoryMarshal.AsBytes<T>(graph.AllValues(table.Nodes[n])));
                for (int s = 0; s < stateTensors; s++)
                {
                    for (int i = 0; i < graph.InstanceCount; i++)
                        w.Write(MemoryMarshal.AsBytes<T>(graph.OptimizerState(table.Nodes[n], i, s)));
                }
            }
        }
        long length = stream.Length + CheckpointFormat.ChecksumLength;
        stream.Position = CheckpointFormat.Magic.Length + 4;
        stream.Write(BitConverter.GetBytes((ulong)length));
        stream.Position = stream.Length;
        ulong checksum = XxHash64.HashToUInt64(stream.GetBuffer().AsSpan(0, (int)stream.Length));
        stream.Write(BitConverter.GetBytes(checksum));
        return stream.ToArray();
    }
}
