namespace DistillML.Tuning.Storage;

/// <summary>A trial store could not do what was asked; the message names the store (never its password).</summary>
public class TrialStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrialStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The store's schema is newer than this version of DistillML understands.</summary>
public sealed class TrialStoreSchemaException : TrialStoreException
{
    /// <summary>Creates the exception.</summary>
    public TrialStoreSchemaException(string message, int foundVersion, int supportedVersion)
        : base(message)
    {
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The schema version found in the store.</summary>
    public int FoundVersion { get; }

    /// <summary>The newest schema version this build reads.</summary>
    public int SupportedVersion { get; }
}
