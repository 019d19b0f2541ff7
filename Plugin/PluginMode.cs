namespace EcsNeural.Plugin;

/// <summary>What the installed module does each tick.</summary>
public enum PluginMode : byte
{
    /// <summary>Forward, backward and optimizer update: networks learn inside the game loop.</summary>
    Training,
    /// <summary>
    /// Forward only, for shipping a trained model: the backward and optimizer systems are not installed and networks
    /// the module creates keep no gradient or optimizer storage.
    /// </summary>
    Inference,
}
