namespace EcsNeural.Demo.Platform;

/// <summary>Reads the current OpenGL framebuffer back to memory (for --screenshot), through GLFW's loader.</summary>
public static unsafe class GlReadback
{
    private const int Rgba = 0x1908, UnsignedByte = 0x1401, PackAlignment = 0x0D05;

    /// <summary>
    /// Copies the bound framebuffer's <paramref name="width"/>×<paramref name="height"/> pixels as RGBA rows,
    /// top row first, into <paramref name="rgba"/> (length width·height·4). Needs a current context.
    /// </summary>
    public static void ReadPixels(int width, int height, Span<byte> rgba)
    {
        if (rgba.Length != width * height * 4)
            throw new ArgumentException($"buffer holds {rgba.Length} bytes; {width}×{height} RGBA needs {width * height * 4}", nameof(rgba));
        var finish = (delegate* unmanaged<void>)Resolve("glFinish");
        var pixelStore = (delegate* unmanaged<int, int, void>)Resolve("glPixelStorei");
        var readPixels = (delegate* unmanaged<int, int, int, int, int, int, void*, void>)Resolve("glReadPixels");
        finish();
        pixelStore(PackAlignment, 1);
        fixed (byte* p = rgba) readPixels(0, 0, width, height, Rgba, UnsignedByte, p);
        // OpenGL's rows run bottom-up; images run top-down
        int stride = width * 4;
        byte[] row = new byte[stride];
        for (int y = 0; y < height / 2; y++)
        {
            Span<byte> top = rgba.Slice(y * stride, stride), bottom = rgba.Slice((height - 1 - y) * stride, stride);
            top.CopyTo(row);
            bottom.CopyTo(top);
            row.CopyTo(bottom);
        }
    }

    private static nint Resolve(string name)
    {
        nint f = Glfw.GetProcAddress(name);
        return f != 0 ? f : throw new InvalidOperationException($"OpenGL function {name} is not available in this context");
    }
}
