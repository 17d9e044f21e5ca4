using DistillML.Build;

namespace DistillML.Torch.Tests.Build;

public class ElfVersionPatcherTests
{
    // The pristine library from the NuGet cache: the build output copy is already patched on this host.
    static string PristineLibrary()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's native library is not in the package cache at {path}");
        return path;
    }

    static string CopyToTemp(string path)
    {
        string copy = Path.Combine(Path.GetTempPath(), $"elfpatch-{Guid.NewGuid():N}.so");
        File.Copy(path, copy);
        return copy;
    }

    [Fact]
    public void Pristine_library_requires_GLIBCXX_3_4_32_strongly_for_one_unrelocated_symbol()
    {
        var info = ElfVersionPatcher.Read(PristineLibrary());
        var need = Assert.Single(info.Needs, n => n.Name == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        var bound = Assert.Single(info.Symbols, s => (s.Version & 0x7fff) == need.Index);
        Assert.Equal("_ZSt21ios_base_library_initv", bound.Name);
        Assert.Equal(0, bound.SectionIndex);
        Assert.DoesNotContain(bound.Index, info.RelocatedSymbols);
        Assert.NotEmpty(info.RelocatedSymbols); // the relocation tables were read at all
    }

    [Fact]
    public void Patch_makes_the_requirement_weak_and_the_symbol_unversioned_and_nothing_else()
    {
        string copy = CopyToTemp(PristineLibrary());
        try
        {
            byte[] before = File.ReadAllBytes(copy);
            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.Patch(copy, "GLIBCXX_3.4.32"));
            byte[] after = File.ReadAllBytes(copy);

            var info = ElfVersionPatcher.Read(copy);
            var need = Assert.Single(info.Needs, n => n.Name == "GLIBCXX_3.4.32");
            Assert.True(need.IsWeak);
            var symbol = Assert.Single(info.Symbols, s => s.Name == "_ZSt21ios_base_library_initv");
            Assert.Equal(1, symbol.Version);
            Assert.DoesNotContain(info.Symbols, s => (s.Version & 0x7fff) == need.Index);

            // Exactly two 16-bit fields changed: the vna_flags byte and the versym entry.
            Assert.Equal(before.Length, after.Length);
            var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            Assert.InRange(changed.Count, 2, 4);
            Assert.All(changed, i => Assert.True(Math.Abs(i - need.FlagsOffset) <= 1 || Math.Abs(i - symbol.VersionOffset) <= 1));

            // Other requirements keep their flags.
            Assert.All(info.Needs.Where(n => n.Name != "GLIBCXX_3.4.32"), n => Assert.False(n.IsWeak));
        }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void Patch_is_idempotent()
    {
        string copy = CopyToTemp(PristineLibrary());
        try
        {
            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.Patch(copy, "GLIBCXX_3.4.32"));
            byte[] once = File.ReadAllBytes(copy);
            Assert.Equal(ElfPatchOutcome.AlreadyPatched, ElfVersionPatcher.Patch(copy, "GLIBCXX_3.4.32"));
            Assert.Equal(once, File.ReadAllBytes(copy));
        }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void Patch_reports_not_required_for_a_version_the_file_does_not_need()
    {
        string copy = CopyToTemp(PristineLibrary());
        try { Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionPatcher.Patch(copy, "GLIBCXX_9.9.9")); }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void Patch_refuses_a_version_whose_symbols_are_relocated()
    {
        // GLIBC_2.2.5 symbols (memcpy, ...) are bound through the PLT: making them weak would break loading.
        string copy = CopyToTemp(PristineLibrary());
        try
        {
            byte[] before = File.ReadAllBytes(copy);
            var e = Assert.Throws<ElfFormatException>(() => ElfVersionPatcher.Patch(copy, "GLIBCXX_3.4"));
            Assert.Contains("relocation", e.Message);
            Assert.Contains(copy, e.Message);
            Assert.Equal(before, File.ReadAllBytes(copy));
        }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void Read_rejects_a_file_that_is_not_elf_and_a_truncated_one()
    {
        string text = Path.GetTempFileName();
        string truncated = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, "not a shared object, just some text that is long enough to pass the size check.....");
            Assert.Contains("not an ELF file", Assert.Throws<ElfFormatException>(() => ElfVersionPatcher.Read(text)).Message);

            byte[] bytes = File.ReadAllBytes(PristineLibrary());
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<ElfFormatException>(() => ElfVersionPatcher.Read(truncated));
            Assert.Contains("truncated", e.Message);
        }
        finally { File.Delete(text); File.Delete(truncated); }
    }

    [Fact]
    public void Host_libstdcxx_versions_are_read_from_its_definitions()
    {
        string host = PatchLibTorchSharp.FindHostLibStdCxx();
        Assert.NotEqual("", host);
        var defs = ElfVersionPatcher.Read(host).Definitions;
        Assert.Contains("GLIBCXX_3.4", defs);
        Assert.Contains("CXXABI_1.3", defs);
    }

    [Fact]
    public void Build_output_copy_loads_on_this_host()
    {
        // The output copy must be either patched (old libstdc++) or untouched (new libstdc++); either way torch loads.
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), output);
        bool hostHasIt = ElfVersionPatcher.Defines(PatchLibTorchSharp.FindHostLibStdCxx(), ElfVersionPatcher.TorchSharpVersion);
        var need = ElfVersionPatcher.Read(output).Needs.Single(n => n.Name == ElfVersionPatcher.TorchSharpVersion);
        Assert.Equal(!hostHasIt, need.IsWeak);
    }
}
