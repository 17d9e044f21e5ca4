using DistillML.Onnx.Tests.Inference;

namespace DistillML.Onnx.Tests.Service;

/// <summary>The dev model, exported, served by one OnnxQaService process for all service tests.</summary>
public sealed class ServedModel : IDisposable
{
    public ServedModel()
    {
        Model = new DevModel();
        Service = new ServiceProcess(Model.ModelPath, "--max-context-chars", "50000");
    }

    public DevModel Model { get; }

    public ServiceProcess Service { get; }

    public void Dispose()
    {
        Service.Dispose();
        Model.Dispose();
    }
}
