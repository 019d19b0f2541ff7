using System.Numerics;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>Streams a graph into the <see cref="CheckpointFormat"/> bytes; allocates nothing in proportion to its tensors.</summary>
internal static class CheckpointWriter
{
    public static void Write<T>(ComputeGraph<T> graph, GraphTable table, Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        OptimizerOptions optimizer = graph.Optimizer;
        int stateTensors = graph.InferenceOnly ? 0 : optimizer.StateTensors;
        int elementSize = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int instances = graph.InstanceCount;
        long length = CheckpointFormat.HeaderLength(table.Records, instances)
            + CheckpointFormat.PayloadLength(table.Records, instances, elementSize, stateTensors) + CheckpointFormat.ChecksumLength;

        var w = new CheckpointStreamWriter(stream);
        w.Write(CheckpointFormat.Magic);
        w.WriteUInt32(CheckpointFormat.Version);
        w.WriteInt64(length);
        w.WriteByte((byte)elementSize);
        w.WriteInt32(instances);
        w.WriteInt32(table.Records.Length);
        foreach (NodeRecord node in table.Records)
        {
            w.WriteByte((byte)node.Op);
            w.WriteDouble(node.Scalar);
            w.WriteInt32(node.Pieces);
            w.WriteInt32(node.Shape.Rows);
            w.WriteInt32(node.Shape.Cols);
            w.WriteByte(node.Trainable ? (byte)1 : (byte)0);
            w.WriteByte((byte)node.Inputs.Length);
            foreach (int input in node.Inputs)
                w.WriteInt32(input);
        }
        w.WriteInt32(table.Loss);
        w.WriteByte((byte)optimizer.Kind);
        w.WriteDouble(optimizer.LearningRate);
        w.WriteDouble(optimizer.MomentumCoefficient);
        w.WriteDouble(optimizer.Beta1);
        w.WriteDouble(optimizer.Beta2);
        w.WriteDouble(optimizer.Epsilon);
        w.WriteByte((byte)stateTensors);
        w.WriteByte((byte)graph.Numerics);
        for (int i = 0; i < instances; i++)
            w.WriteInt64(graph.OptimizerSteps(i));
        for (int n = 0; n < table.Nodes.Length; n++)
        {
            if (!CheckpointFormat.HoldsValues(table.Records[n]))
                continue;
            w.WriteTensor<T>(graph.AllValues(table.Nodes[n]));
            if (!table.Records[n].Trainable)
                continue;
            for (int s = 0; s < stateTensors; s++)
            {
                for (int i = 0; i < instances; i++)
                    w.WriteTensor<T>(graph.OptimizerState(table.Nodes[n], i, s));
            }
        }
        w.WriteChecksum();
        if (w.Position != length)
            throw new InvalidOperationException($"Checkpoint writer bug: wrote {w.Position} bytes, the header declares {length}.");
    }
}
