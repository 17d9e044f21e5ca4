using TorchSharp;

namespace DistillML.Torch.Tests;

public class TorchDeviceTests
{
    [Fact]
    public void Default_device_is_cuda_when_torch_sees_it_else_cpu()
    {
        var expected = torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, TorchDevice.Resolve().type);
        Assert.Equal(expected, TorchDevice.Resolve("auto").type);
    }

    [Fact]
    public void Explicit_cpu_overrides_the_default()
    {
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("cpu").type);
    }

    [Fact]
    public void Asking_for_cuda_without_it_is_an_error_not_a_silent_fallback()
    {
        if (torch.cuda.is_available()) return; // on a GPU machine the request is valid
        var e = Assert.Throws<ArgumentException>(() => TorchDevice.Resolve("cuda"));
        Assert.Contains("no CUDA device", e.Message);
    }
}
