using System.Reflection;

namespace DistillML.Tuning.SearchSpace;

/// <summary>Reads a <see cref="SearchSpace"/> from attributes on an options class.</summary>
internal static class AttributeSearchSpaceReader
{
    public static SearchSpace Read(Type type)
    {
        var builder = SearchSpace.Create();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var name = property.Name;
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                if (t == typeof(int) || t == typeof(long) || t == typeof(short))
                {
                    builder.AddInteger(name, checked((int)range.Min), checked((int)range.Max),
                        range.Init is { } i ? (int)i : null, range.LogBase);
                }
                else
                {
                    builder.AddFloat(name, range.Min, range.Max, range.Init, range.LogBase);
                }
            }
            else if (property.GetCustomAttribute<ChoiceAttribute>() is { } choice)
            {
                builder.Add(new ChoiceDimension(name, choice.Values, choice.Ordered));
            }
            else if (property.GetCustomAttribute<BooleanChoiceAttribute>() is { } boolean)
            {
                builder.AddBoolean(name, boolean.DefaultValue);
            }
            else if (property.GetCustomAttribute<OptionAttribute>() is not null)
            {
                builder.AddGroup(name, Read(t));
            }
        }

        return builder.Build();
    }
}
