// Build-time fix for TorchSharp's native library on hosts with an older libstdc++ (see DESIGN.md).
//
// libLibTorchSharp.so 0.107.0 is linked against GCC 13's libstdc++ and so requires the symbol version
// GLIBCXX_3.4.32, which GCC 12 (Debian 12) lacks. The only symbol bound to that version,
// _ZSt21ios_base_library_initv, is referenced by no relocation: the dynamic loader never resolves it,
// it only checks that the version exists. Marking the requirement weak (VER_FLG_WEAK in .gnu.version_r)
// and the symbol unversioned (index 1 in .gnu.version) lets the loader accept the library.
//
// No library reads and rewrites ELF version tables from .NET, and the fix must run inside MSBuild with no
// external tool (no patchelf), so the ELF64 parsing below is written by hand. It is compiled twice: by
// MSBuild's RoslynCodeTaskFactory (DistillML.Torch.targets) and into the unit tests, so it targets
// netstandard2.0 APIs only.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DistillML.Build
{
    /// <summary>What <see cref="ElfVersionPatcher.Patch"/> did to a file.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The file does not require the version at all; nothing to do.</summary>
        NotRequired,
        /// <summary>The requirement was already weak and no symbol was bound to it; nothing written.</summary>
        AlreadyPatched,
        /// <summary>The requirement was made weak and its symbols unversioned; the file was rewritten.</summary>
        Patched,
    }

    /// <summary>Thrown when a file is not the ELF64 shared object the patcher expects.</summary>
    public sealed class ElfFormatException : Exception
    {
        /// <summary>Creates the exception with a message naming the file and the problem.</summary>
        public ElfFormatException(string path, string problem) : base($"{path}: {problem}") { }
    }

    /// <summary>A symbol version requirement (an entry of .gnu.version_r).</summary>
    public sealed class ElfVersionNeed
    {
        /// <summary>Library the version is required from, e.g. libstdc++.so.6.</summary>
        public string File = "";
        /// <summary>Version name, e.g. GLIBCXX_3.4.32.</summary>
        public string Name = "";
        /// <summary>vna_flags; bit 0x2 is VER_FLG_WEAK.</summary>
        public ushort Flags;
        /// <summary>vna_other: the version index that .gnu.version entries use for this requirement.</summary>
        public ushort Index;
        /// <summary>File offset of the vna_flags field.</summary>
        public long FlagsOffset;
        /// <summary>True when VER_FLG_WEAK is set.</summary>
        public bool IsWeak => (Flags & ElfVersionPatcher.VerFlagWeak) != 0;
    }

    /// <summary>A dynamic symbol with its version index.</summary>
    public sealed class ElfDynamicSymbol
    {
        /// <summary>Position in .dynsym.</summary>
        public int Index;
        /// <summary>Symbol name from .dynstr.</summary>
        public string Name = "";
        /// <summary>st_shndx; 0 means undefined (imported).</summary>
        public ushort SectionIndex;
        /// <summary>The .gnu.version entry (bit 0x8000 is the hidden flag).</summary>
        public ushort Version;
        /// <summary>File offset of this symbol's .gnu.version entry.</summary>
        public long VersionOffset;
    }

    /// <summary>The parts of an ELF64 little-endian shared object that symbol versioning involves.</summary>
    public sealed class ElfVersionInfo
    {
        /// <summary>Every dynamic symbol.</summary>
        public List<ElfDynamicSymbol> Symbols = new List<ElfDynamicSymbol>();
        /// <summary>Every version requirement of .gnu.version_r.</summary>
        public List<ElfVersionNeed> Needs = new List<ElfVersionNeed>();
        /// <summary>Version names this file defines (.gnu.version_d), e.g. for libstdc++ GLIBCXX_3.4.30.</summary>
        public List<string> Definitions = new List<string>();
        /// <summary>Indexes of dynamic symbols referenced by a relocation (.rela.dyn, .rela.plt, ...).</summary>
        public HashSet<int> RelocatedSymbols = new HashSet<int>();
    }

    /// <summary>Reads ELF64 symbol version tables and makes one version requirement weak.</summary>
    public static class ElfVersionPatcher
    {
        /// <summary>VER_FLG_WEAK: a missing version is not an error for the dynamic loader.</summary>
        public const ushort VerFlagWeak = 0x2;
        /// <summary>The version libLibTorchSharp.so 0.107.0 needs and GCC 12's libstdc++ lacks.</summary>
        public const string TorchSharpVersion = "GLIBCXX_3.4.32";

        const uint ShtRela = 4, ShtStrtab = 3, ShtRel = 9, ShtDynsym = 11;
        const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

        sealed class Section
        {
            public int Index;
            public string Name = "";
            public uint Type, Link;
            public long Offset, Size, EntrySize;
        }

        /// <summary>Parses the version tables of <paramref name="path"/>; throws <see cref="ElfFormatException"/> on anything unexpected.</summary>
        public static ElfVersionInfo Read(string path) => Parse(path, System.IO.File.ReadAllBytes(path));

        /// <summary>True when the shared object at <paramref name="path"/> defines <paramref name="version"/>.</summary>
        public static bool Defines(string path, string version) => Read(path).Definitions.Contains(version);

        /// <summary>
        /// Makes the requirement on <paramref name="version"/> weak and unversions the symbols bound to it,
        /// rewriting the file atomically (temp file, then rename). Refuses, with an <see cref="ElfFormatException"/>,
        /// when such a symbol is defined here or referenced by a relocation, because the loader would then need it.
        /// Idempotent: a patched file is left untouched.
        /// </summary>
        public static ElfPatchOutcome Patch(string path, string version)
        {
            byte[] bytes = System.IO.File.ReadAllBytes(path);
            ElfVersionInfo info = Parse(path, bytes);
            ElfVersionNeed? need = info.Needs.Find(n => n.Name == version);
            if (need == null) return ElfPatchOutcome.NotRequired;

            var bound = info.Symbols.FindAll(s => (s.Version & 0x7fff) == need.Index);
            if (need.IsWeak && bound.Count == 0) return ElfPatchOutcome.AlreadyPatched;
            foreach (var s in bound)
            {
                if (s.SectionIndex != 0)
                    throw new ElfFormatException(path, $"symbol '{s.Name}' bound to {version} is defined in this file; refusing to unversion it.");
                if (info.RelocatedSymbols.Contains(s.Index))
                    throw new ElfFormatException(path, $"symbol '{s.Name}' bound to {version} is referenced by a relocation; the loader needs it, so the requirement cannot be made weak.");
            }

            WriteU16(bytes, need.FlagsOffset, (ushort)(need.Flags | VerFlagWeak));
            foreach (var s in bound) WriteU16(bytes, s.VersionOffset, 1); // VER_NDX_GLOBAL

            string temp = path + ".patching-" + Guid.NewGuid().ToString("N");
            DateTime modified = System.IO.File.GetLastWriteTimeUtc(path);
            try
            {
                System.IO.File.Copy(path, temp, overwrite: true); // keeps the file mode
                using (var fs = new FileStream(temp, FileMode.Open, FileAccess.Write)) fs.Write(bytes, 0, bytes.Length);
                // Same size and time as the package's copy, so MSBuild's incremental copy leaves the patched file alone.
                System.IO.File.SetLastWriteTimeUtc(temp, modified);
                System.IO.File.Replace(temp, path, null); // a rename: readers see the old or the new file, never half of one
            }
            finally
            {
                if (System.IO.File.Exists(temp)) System.IO.File.Delete(temp);
            }
            return ElfPatchOutcome.Patched;
        }

        static ElfVersionInfo Parse(string path, byte[] b)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                throw new ElfFormatException(path, "not an ELF file (bad magic).");
            if (b[4] != 2) throw new ElfFormatException(path, $"not ELF64 (EI_CLASS={b[4]}).");
            if (b[5] != 1) throw new ElfFormatException(path, $"not little-endian (EI_DATA={b[5]}).");
            long shoff = (long)ReadU64(path, b, 0x28);
            int shentsize = ReadU16(path, b, 0x3A), shnum = ReadU16(path, b, 0x3C), shstrndx = ReadU16(path, b, 0x3E);
            if (shoff == 0 || shnum == 0) throw new ElfFormatException(path, "no section headers.");
            if (shentsize != 64) throw new ElfFormatException(path, $"unexpected section header size {shentsize} (expected 64).");
            if (shstrndx >= shnum) throw new ElfFormatException(path, $"section name table index {shstrndx} out of range ({shnum} sections).");

            var sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                Check(path, b, h, 64, "section header");
                var s = new Section
                {
                    Index = i,
                    Type = ReadU32(path, b, h + 4),
                    Offset = (long)ReadU64(path, b, h + 24),
                    Size = (long)ReadU64(path, b, h + 32),
                    Link = ReadU32(path, b, h + 40),
                    EntrySize = (long)ReadU64(path, b, h + 56),
                };
                s.Name = ReadU32(path, b, h).ToString(); // resolved below
                sections[i] = s;
                if (s.Type != 8 /* SHT_NOBITS */) Check(path, b, s.Offset, s.Size, $"section {i}");
            }
            var shstr = sections[shstrndx];
            foreach (var s in sections) s.Name = ReadString(path, b, shstr, uint.Parse(s.Name));

            Section dynsym = Single(path, sections, ShtDynsym, ".dynsym");
            if (dynsym.EntrySize != 24) throw new ElfFormatException(path, $".dynsym entry size {dynsym.EntrySize} (expected 24).");
            if (dynsym.Link >= shnum || sections[dynsym.Link].Type != ShtStrtab)
                throw new ElfFormatException(path, ".dynsym does not link to a string table.");
            Section dynstr = sections[dynsym.Link];
            int symbolCount = (int)(dynsym.Size / 24);

            var info = new ElfVersionInfo();
            Section? versym = Optional(path, sections, ShtGnuVersym, ".gnu.version");
            if (versym != null && versym.Size != symbolCount * 2L)
                throw new ElfFormatException(path, $".gnu.version has {versym.Size / 2} entries but .dynsym has {symbolCount}.");
            for (int i = 0; i < symbolCount; i++)
            {
                long e = dynsym.Offset + i * 24L;
                var sym = new ElfDynamicSymbol
                {
                    Index = i,
                    Name = ReadString(path, b, dynstr, ReadU32(path, b, e)),
                    SectionIndex = ReadU16(path, b, e + 6),
                };
                if (versym != null)
                {
                    sym.VersionOffset = versym.Offset + i * 2L;
                    sym.Version = ReadU16(path, b, sym.VersionOffset);
                }
                info.Symbols.Add(sym);
            }

            Section? verneed = Optional(path, sections, ShtGnuVerneed, ".gnu.version_r");
            if (verneed != null)
            {
                Section strings = sections[verneed.Link];
                long at = verneed.Offset;
                for (int guard = 0; ; guard++)
                {
                    if (guard > 10000) throw new ElfFormatException(path, ".gnu.version_r: entry chain does not end.");
                    Check(path, b, at, 16, ".gnu.version_r entry");
                    if (ReadU16(path, b, at) != 1) throw new ElfFormatException(path, $".gnu.version_r: unknown vn_version {ReadU16(path, b, at)}.");
                    int count = ReadU16(path, b, at + 2);
                    string file = ReadString(path, b, strings, ReadU32(path, b, at + 4));
                    long aux = at + ReadU32(path, b, at + 8);
                    for (int k = 0; k < count; k++)
                    {
                        Check(path, b, aux, 16, ".gnu.version_r aux entry");
                        info.Needs.Add(new ElfVersionNeed
                        {
                            File = file,
                            Flags = ReadU16(path, b, aux + 4),
                            FlagsOffset = aux + 4,
                            Index = ReadU16(path, b, aux + 6),
                            Name = ReadString(path, b, strings, ReadU32(path, b, aux + 8)),
                        });
                        uint nextAux = ReadU32(path, b, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = ReadU32(path, b, at + 12);
                    if (next == 0) break;
                    at += next;
                }
            }

            Section? verdef = Optional(path, sections, ShtGnuVerdef, ".gnu.version_d");
            if (verdef != null)
            {
                Section strings = sections[verdef.Link];
                long at = verdef.Offset;
                for (int guard = 0; ; guard++)
                {
                    if (guard > 10000) throw new ElfFormatException(path, ".gnu.version_d: entry chain does not end.");
                    Check(path, b, at, 20, ".gnu.version_d entry");
                    long aux = at + ReadU32(path, b, at + 12);
                    Check(path, b, aux, 8, ".gnu.version_d aux entry");
                    info.Definitions.Add(ReadString(path, b, strings, ReadU32(path, b, aux))); // first aux names the version
                    uint next = ReadU32(path, b, at + 16);
                    if (next == 0) break;
                    at += next;
                }
            }

            foreach (var s in sections)
            {
                if ((s.Type != ShtRela && s.Type != ShtRel) || s.Link != dynsym.Index) continue;
                long size = s.Type == ShtRela ? 24 : 16;
                if (s.EntrySize != size) throw new ElfFormatException(path, $"{s.Name}: entry size {s.EntrySize} (expected {size}).");
                for (long e = s.Offset; e + size <= s.Offset + s.Size; e += size)
                    info.RelocatedSymbols.Add((int)(ReadU64(path, b, e + 8) >> 32));
            }
            return info;
        }

        static Section Single(string path, Section[] sections, uint type, string name) =>
            Optional(path, sections, type, name) ?? throw new ElfFormatException(path, $"no {name} section.");

        static Section? Optional(string path, Section[] sections, uint type, string name)
        {
            Section? found = null;
            foreach (var s in sections)
            {
                if (s.Type != type) continue;
                if (found != null) throw new ElfFormatException(path, $"more than one {name} section.");
                found = s;
            }
            if (found != null && (found.Link >= sections.Length))
                throw new ElfFormatException(path, $"{name} links to section {found.Link}, which does not exist.");
            return found;
        }

        static void Check(string path, byte[] b, long offset, long length, string what)
        {
            if (offset < 0 || length < 0 || offset + length > b.Length)
                throw new ElfFormatException(path, $"{what} at offset {offset} (+{length}) lies outside the file ({b.Length} bytes); the file is truncated or corrupt.");
        }

        static string ReadString(string path, byte[] b, Section table, uint index)
        {
            if (index >= table.Size) throw new ElfFormatException(path, $"string index {index} outside {table.Name} ({table.Size} bytes).");
            long start = table.Offset + index, end = start;
            long limit = table.Offset + table.Size;
            while (end < limit && b[end] != 0) end++;
            if (end == limit) throw new ElfFormatException(path, $"unterminated string in {table.Name}.");
            return Encoding.ASCII.GetString(b, (int)start, (int)(end - start));
        }

        static ushort ReadU16(string path, byte[] b, long o) { Check(path, b, o, 2, "field"); return (ushort)(b[o] | b[o + 1] << 8); }
        static uint ReadU32(string path, byte[] b, long o) { Check(path, b, o, 4, "field"); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        static ulong ReadU64(string path, byte[] b, long o) => ReadU32(path, b, o) | (ulong)ReadU32(path, b, o + 4) << 32;
        static void WriteU16(byte[] b, long o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    }

    /// <summary>
    /// MSBuild task: patches every libLibTorchSharp.so under <see cref="Directory"/> when the host libstdc++
    /// lacks GLIBCXX_3.4.32. Logs one line per patched file; does nothing on hosts that have the version.
    /// </summary>
    public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        /// <summary>Directory to search (the build or publish output).</summary>
        [Required] public string Directory { get; set; } = "";

        /// <summary>The host libstdc++; probed in the usual library directories when empty.</summary>
        public string HostLibStdCxx { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            if (!System.IO.Directory.Exists(Directory)) return true;
            string[] files = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
            if (files.Length == 0) return true;
            string host = string.IsNullOrEmpty(HostLibStdCxx) ? FindHostLibStdCxx() : HostLibStdCxx;
            if (host.Length == 0)
            {
                Log.LogMessage(MessageImportance.Normal, "DistillML: no host libstdc++.so.6 found; libLibTorchSharp.so left as is.");
                return true;
            }
            try
            {
                if (ElfVersionPatcher.Defines(host, ElfVersionPatcher.TorchSharpVersion))
                {
                    Log.LogMessage(MessageImportance.Low, $"DistillML: {host} has {ElfVersionPatcher.TorchSharpVersion}; no patch needed.");
                    return true;
                }
                foreach (string file in files)
                {
                    if (ElfVersionPatcher.Patch(file, ElfVersionPatcher.TorchSharpVersion) == ElfPatchOutcome.Patched)
                        Log.LogMessage(MessageImportance.High, $"DistillML: patched {file} ({ElfVersionPatcher.TorchSharpVersion} made weak; {host} lacks it).");
                }
            }
            catch (ElfFormatException e)
            {
                Log.LogError($"DistillML: cannot make TorchSharp load on this host: {e.Message}");
            }
            return !Log.HasLoggedErrors;
        }

        /// <summary>The first libstdc++.so.6 in the standard library directories, or "" when there is none.</summary>
        public static string FindHostLibStdCxx()
        {
            string[] dirs =
            {
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            };
            foreach (string d in dirs)
            {
                string candidate = Path.Combine(d, "libstdc++.so.6");
                if (System.IO.File.Exists(candidate)) return candidate;
            }
            return "";
        }
    }
}
