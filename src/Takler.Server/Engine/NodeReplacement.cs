using System.Text;
using Takler.Core;
using Takler.Core.Definitions;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;
using Takler.Protocol;
using NodeStatus = Takler.Core.Nodes.NodeStatus;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>
/// `replace` (ecFlow's <c>--replace</c>): the node at a path is replaced by the node at the same path in a
/// definition, in place (siblings keep their order). The definition is read and checked, and the target checked,
/// before anything changes.
/// </summary>
internal static class NodeReplacement
{
    /// <summary>Replaces (or, with <paramref name="createParents"/>, adds) the node; tells the engine the definition changed.</summary>
    public static void Apply(EngineContext context, string path, string definition, DefinitionFormat format, bool createParents, bool force)
    {
        NodePaths.RequireAbsolute(path);
        var flows = Read(definition, format);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw Invalid("the path must name a flow or a node in one");
        }

        var newFlow = flows.FirstOrDefault(f => f.Name == segments[0]) ?? throw Invalid($"the definition has no flow {segments[0]}");
        Node? replacement = newFlow;
        foreach (var segment in segments.Skip(1))
        {
            replacement = (replacement as NodeContainer)?.FindChild(segment);
        }

        if (replacement is null)
        {
            throw Invalid($"the definition has no node {path}");
        }

        var existing = context.Bunch.FindNode(path);
        if (existing is not null && !force &&
            existing.SelfAndDescendants().OfType<TaskNode>().FirstOrDefault(t => t.Status is NodeStatus.Submitted or NodeStatus.Active) is { } running)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"replace: {running.Path} is {running.Status.Name()}; replace with force to replace it anyway");
        }

        if (replacement is Flow flow)
        {
            if (existing is null && !createParents)
            {
                throw Invalid($"there is no flow {flow.Name} (replace with create-parents to add it)");
            }

            context.Bunch.AddFlow(flow, replace: true);
        }
        else
        {
            var parentPath = path[..path.LastIndexOf('/')];
            if (context.Bunch.FindNode(parentPath) is not NodeContainer parent)
            {
                throw Invalid($"there is no container {parentPath} to hold {replacement.Name}");
            }

            if (existing is null && !createParents)
            {
                throw Invalid($"there is no node {path} (replace with create-parents to add it)");
            }

            ((NodeContainer)replacement.Parent!).RemoveChild(replacement.Name);
            if (existing is null)
            {
                parent.AddChild(replacement);
            }
            else
            {
                parent.ReplaceChild(replacement);
            }
        }

        context.DefinitionChanged();
    }

    private static IReadOnlyList<Flow> Read(string definition, DefinitionFormat format)
    {
        try
        {
            switch (format)
            {
                case DefinitionFormat.TaklerJson:
                    return [TaklerJsonReader.ReadFlow(Encoding.UTF8.GetBytes(definition), TaklerJsonReadMode.Tree)];
                case DefinitionFormat.Json:
                    var bunch = SnapshotReader.ReadBunch(Encoding.UTF8.GetBytes(definition));
                    var flows = bunch.Flows.ToList();
                    foreach (var f in flows)
                    {
                        bunch.RemoveFlow(f.Name);
                    }

                    return flows;
                default:
                    var defs = DefsReader.Parse(definition, "<replace>");
                    DefsChecker.ThrowIfInvalid(defs);
                    return defs.Flows;
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Invalid($"the definition is not valid JSON: {e.Message}");
        }
    }

    private static TaklerException Invalid(string message) => new(TaklerErrorCode.UnsupportedValue, "replace: " + message);
}
