using System.Collections;
using System.Text.Json;
using static TorchSharp.torch;

namespace DistillML.Torch.Checkpoints;

/// <summary>
/// The weights of a checkpoint directory, whichever way Hugging Face stored them: <c>model.safetensors</c>, sharded
/// safetensors (<c>model.safetensors.index.json</c> and its shards), or a PyTorch pickle (<c>pytorch_model.bin</c>, read
/// by TorchSharp.PyBridge; only tensors, as <c>torch.load(weights_only=True)</c> would).
/// </summary>
internal abstract class CheckpointTensors : IDisposable
{
    /// <summary>The file names, in the order they are looked for.</summary>
    public static readonly string[] Files = [BertCheckpoint.WeightsFile, "model.safetensors.index.json", "pytorch_model.bin"];

    /// <summary>Where the weights were read from (for messages).</summary>
    public abstract string Source { get; }

    /// <summary>The tensor names.</summary>
    public abstract IReadOnlyCollection<string> Names { get; }

    /// <summary>Whether <paramref name="name"/> is there.</summary>
    public bool Contains(string name) => Names.Contains(name);

    /// <summary>The shape of <paramref name="name"/>.</summary>
    public abstract long[] Shape(string name);

    /// <summary>The tensor <paramref name="name"/> as <paramref name="dtype"/> (the caller disposes it).</summary>
    public abstract Tensor Read(string name, ScalarType dtype);

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>Opens the weights of <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">None of <see cref="Files"/> is there.</exception>
    public static CheckpointTensors Open(string directory)
    {
        string single = Path.Combine(directory, Files[0]), index = Path.Combine(directory, Files[1]), pickle = Path.Combine(directory, Files[2]);
        if (File.Exists(single)) return new Single(SafeTensorsFile.Open(single));
        if (File.Exists(index)) return Sharded.FromIndex(index);
        if (File.Exists(pickle)) return new Pickled(pickle);
        throw new FileNotFoundException($"No weights in checkpoint directory '{directory}' (looked for {string.Join(", ", Files)}).", single);
    }

    private sealed class Single(SafeTensorsFile file) : CheckpointTensors
    {
        public override string Source => file.Path;
        public override IReadOnlyCollection<string> Names { get; } = file.Names.ToHashSet();
        public override long[] Shape(string name) => [.. file.GetInfo(name).Shape];
        public override Tensor Read(string name, ScalarType dtype) => file.ReadTensor(name, dtype);
        public override void Dispose() => file.Dispose();
    }

    // model.safetensors.index.json: {"metadata": {...}, "weight_map": {"tensor name": "model-00001-of-00002.safetensors", ...}}
    private sealed class Sharded(string index, Dictionary<string, SafeTensorsFile> byTensor, List<SafeTensorsFile> shards) : CheckpointTensors
    {
        public static Sharded FromIndex(string index)
        {
            Dictionary<string, string> map;
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(index));
                map = json.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()
                    ?? throw new InvalidDataException($"{index}: weight_map[\"{p.Name}\"] is not a file name."));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{index}: not a safetensors index ({e.Message}).", e);
            }
            string dir = Path.GetDirectoryName(index)!;
            var shards = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            try
            {
                var byTensor = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
                foreach (var (tensor, shard) in map)
                {
                    if (shard.Contains('/') || shard.Contains('\\') || shard.StartsWith('.'))
                        throw new InvalidDataException($"{index}: shard name '{shard}' for '{tensor}' must be a file beside the index.");
                    if (!shards.TryGetValue(shard, out var file))
                    {
                        string path = Path.Combine(dir, shard);
                        if (!File.Exists(path)) throw new FileNotFoundException($"{index} names the shard '{shard}', which is missing.", path);
                        shards[shard] = file = SafeTensorsFile.Open(path);
                    }
                    if (!file.Contains(tensor)) throw new InvalidDataException($"{index} puts '{tensor}' in '{shard}', which does not hold it.");
                    byTensor[tensor] = file;
                }
                return new Sharded(index, byTensor, [.. shards.Values]);
            }
            catch
            {
                foreach (var file in shards.Values) file.Dispose();
                throw;
            }
        }

        public override string Source => index;
        public override IReadOnlyCollection<string> Names => byTensor.Keys;
        public override long[] Shape(string name) => [.. byTensor[name].GetInfo(name).Shape];
        public override Tensor Read(string name, ScalarType dtype) => byTensor[name].ReadTensor(name, dtype);
        public override void Dispose() { foreach (var s in shards) s.Dispose(); }
    }

    // torch.save(state_dict) files: a zip with a pickled OrderedDict of tensors, unpickled by TorchSharp.PyBridge.
    private sealed class Pickled : CheckpointTensors
    {
        private readonly string path;
        private readonly Dictionary<string, Tensor> tensors = new(StringComparer.Ordinal);

        public Pickled(string path)
        {
            this.path = path;
            Hashtable table;
            try
            {
                using var stream = File.OpenRead(path);
                table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(stream);
            }
            catch (Exception e) when (e is not IOException and not OutOfMemoryException)
            {
                throw new InvalidDataException($"{path}: not a PyTorch state dict saved with torch.save ({e.GetType().Name}: {e.Message}).", e);
            }
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string name || entry.Value is not Tensor tensor)
                    throw new InvalidDataException($"{path}: entry '{entry.Key}' is not a tensor; only state dicts of tensors are read.");
                tensors[name] = tensor;
            }
        }

        public override string Source => path;
        public override IReadOnlyCollection<string> Names => tensors.Keys;
        public override long[] Shape(string name) => tensors[name].shape;
        public override Tensor Read(string name, ScalarType dtype) => tensors[name].to_type(dtype, copy: true);
        public override void Dispose() { foreach (var t in tensors.Values) t.Dispose(); }
    }
}
