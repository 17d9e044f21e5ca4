using TorchSharp;

namespace DistillML.Torch;

/// <summary>Chooses where models run: <c>cuda</c> when torch sees a GPU, else <c>cpu</c>; an explicit name overrides.</summary>
public static class TorchDevice
{
    /// <summary>
    /// The device for <paramref name="requested"/> ("cpu", "cuda", "cuda:1", or null/"auto" for the default).
    /// Asking for CUDA on a machine without it is an error, not a silent fallback.
    /// </summary>
    public static torch.Device Resolve(string? requested = null)
    {
        if (string.IsNullOrWhiteSpace(requested) || requested.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        var device = new torch.Device(requested);
        if (device.type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new ArgumentException($"Device '{requested}' was requested but torch sees no CUDA device (is this a CPU build? see README: -p:DistillMLGpu=true).", nameof(requested));
        return device;
    }
}
