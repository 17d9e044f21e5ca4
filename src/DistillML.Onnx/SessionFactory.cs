using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx;

/// <summary>Creates the one <see cref="InferenceSession"/> of a model on the chosen execution provider.</summary>
internal static class SessionFactory
{
    public const string Cuda = "CUDAExecutionProvider", Cpu = "CPUExecutionProvider";

    public static (InferenceSession Session, string Provider) Create(string modelPath, OnnxQuestionAnswererOptions options)
    {
        var log = options.Log ?? (_ => { });
        bool cudaBuilt = OrtEnv.Instance().GetAvailableProviders().Contains(Cuda);
        bool gpuVisible = GpuVisible();
        bool useCuda = options.ExecutionProvider switch
        {
            ExecutionProviderPreference.Cpu => false,
            ExecutionProviderPreference.Cuda when !cudaBuilt => throw new InvalidOperationException(
                "ExecutionProvider = Cuda, but this ONNX Runtime build has no CUDA provider (reference Microsoft.ML.OnnxRuntime.Gpu; build with -p:DistillMLGpu=true)."),
            ExecutionProviderPreference.Cuda => true,
            _ => cudaBuilt && gpuVisible,
        };
        if (options.ExecutionProvider == ExecutionProviderPreference.Auto && !useCuda)
            log($"ONNX Runtime: CPU execution provider (CUDA provider {(cudaBuilt ? "built in" : "not in this build")}, GPU {(gpuVisible ? "visible" : "not visible")}).");

        var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        try
        {
            if (options.IntraOpThreads > 0) sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
            if (useCuda)
            {
                try
                {
                    sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                }
                catch (OnnxRuntimeException e) when (options.ExecutionProvider == ExecutionProviderPreference.Auto)
                {
                    log($"ONNX Runtime: CUDA provider failed to start ({e.Message}); falling back to CPU.");
                    useCuda = false;
                }
            }
            var session = new InferenceSession(modelPath, sessionOptions);
            string provider = useCuda ? Cuda : Cpu;
            if (useCuda) log($"ONNX Runtime: {provider} on GPU {options.CudaDeviceId}.");
            return (session, provider);
        }
        finally
        {
            sessionOptions.Dispose();
        }
    }

    /// <summary>True when an NVIDIA device node exists and CUDA_VISIBLE_DEVICES does not hide every GPU.</summary>
    private static bool GpuVisible()
    {
        string? visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        if (visible is not null && (visible.Trim().Length == 0 || visible.Trim() == "-1")) return false;
        return OperatingSystem.IsLinux() ? File.Exists("/dev/nvidia0") || File.Exists("/proc/driver/nvidia/version")
            : OperatingSystem.IsWindows() && File.Exists(Path.Combine(Environment.SystemDirectory, "nvcuda.dll"));
    }
}
