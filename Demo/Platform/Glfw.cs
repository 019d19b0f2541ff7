using System.Runtime.InteropServices;

namespace EcsNeural.Demo.Platform;

/// <summary>
/// The part of GLFW 3 (Debian's libglfw3, the window layer raylib itself uses) the demo needs:
/// an OpenGL window, its events and its framebuffer. Names and constants follow glfw3.h.
/// </summary>
public static unsafe partial class Glfw
{
    public const string Library = "libglfw.so.3";

    public const int True = 1, False = 0;
    public const int ContextVersionMajor = 0x00022002, ContextVersionMinor = 0x00022003;
    public const int OpenGlProfile = 0x00022008, OpenGlCoreProfile = 0x00032001, OpenGlForwardCompat = 0x00022006;
    public const int Visible = 0x00020004, Resizable = 0x00020003, Samples = 0x0002100D, StencilBits = 0x00021006;
    public const int Release = 0, Press = 1, Repeat = 2;
    public const int MouseButtonLeft = 0;

    /// <summary>Key codes from glfw3.h (printable keys are their ASCII upper-case codes).</summary>
    public static class Keys
    {
        public const int Space = 32, Minus = 45, Equal = 61, Tab = 258, Escape = 256, Right = 262, Left = 263;
        public const int KeypadSubtract = 333, KeypadAdd = 334;
        public const int P = 'P', Q = 'Q', R = 'R', S = 'S', T = 'T';
    }

    [LibraryImport(Library, EntryPoint = "glfwInit")] public static partial int Init();
    [LibraryImport(Library, EntryPoint = "glfwTerminate")] public static partial void Terminate();
    [LibraryImport(Library, EntryPoint = "glfwWindowHint")] public static partial void WindowHint(int hint, int value);
    [LibraryImport(Library, EntryPoint = "glfwCreateWindow", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint CreateWindow(int width, int height, string title, nint monitor, nint share);
    [LibraryImport(Library, EntryPoint = "glfwDestroyWindow")] public static partial void DestroyWindow(nint window);
    [LibraryImport(Library, EntryPoint = "glfwMakeContextCurrent")] public static partial void MakeContextCurrent(nint window);
    [LibraryImport(Library, EntryPoint = "glfwSwapInterval")] public static partial void SwapInterval(int interval);
    [LibraryImport(Library, EntryPoint = "glfwSwapBuffers")] public static partial void SwapBuffers(nint window);
    [LibraryImport(Library, EntryPoint = "glfwPollEvents")] public static partial void PollEvents();
    [LibraryImport(Library, EntryPoint = "glfwWindowShouldClose")] public static partial int WindowShouldClose(nint window);
    [LibraryImport(Library, EntryPoint = "glfwSetWindowShouldClose")] public static partial void SetWindowShouldClose(nint window, int value);
    [LibraryImport(Library, EntryPoint = "glfwGetFramebufferSize")] public static partial void GetFramebufferSize(nint window, out int width, out int height);
    [LibraryImport(Library, EntryPoint = "glfwGetWindowSize")] public static partial void GetWindowSize(nint window, out int width, out int height);
    [LibraryImport(Library, EntryPoint = "glfwGetCursorPos")] public static partial void GetCursorPos(nint window, out double x, out double y);
    [LibraryImport(Library, EntryPoint = "glfwGetTime")] public static partial double GetTime();
    [LibraryImport(Library, EntryPoint = "glfwGetProcAddress", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetProcAddress(string name);
    [LibraryImport(Library, EntryPoint = "glfwSetErrorCallback")]
    public static partial nint SetErrorCallback(delegate* unmanaged<int, byte*, void> callback);
    [LibraryImport(Library, EntryPoint = "glfwSetKeyCallback")]
    public static partial nint SetKeyCallback(nint window, delegate* unmanaged<nint, int, int, int, int, void> callback);
    [LibraryImport(Library, EntryPoint = "glfwSetMouseButtonCallback")]
    public static partial nint SetMouseButtonCallback(nint window, delegate* unmanaged<nint, int, int, int, void> callback);

    /// <summary>Whether the GLFW shared library can be loaded at all (without initialising it).</summary>
    public static bool TryLoad(out string reason)
    {
        if (NativeLibrary.TryLoad(Library, out nint handle))
        {
            NativeLibrary.Free(handle);
            reason = "";
            return true;
        }
        reason = $"{Library} could not be loaded (install Debian's libglfw3: run ./setup.sh)";
        return false;
    }
}
