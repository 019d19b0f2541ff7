namespace EcsNeural.Plugin.Onnx;

/// <summary>A node attribute (AttributeProto): a float, an int or a list of ints.</summary>
internal readonly record struct OnnxAttribute(string Name, int Type, float Float, long Int, long[]? Ints)
{
    public static OnnxAttribute Of(string name, float value) => new(name, 1, value, 0, null);
    public static OnnxAttribute Of(string name, long value) => new(name, 2, 0, value, null);
    public static OnnxAttribute Of(string name, long[] values) => new(name, 7, 0, 0, values);

    public void Write(ProtoWriter w)
    {
        w.String(1, Name);
        switch (Type)
        {
            case 1:
                w.Float(2, Float);
                break;
            case 2:
                w.Varint(3, Int);
                break;
            default:
                foreach (long value in Ints!)
                    w.Varint(8, value);
                break;
        }
        w.Varint(20, Type);
    }
}
