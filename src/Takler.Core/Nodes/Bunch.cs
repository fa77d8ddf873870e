using Takler.Core.Attributes;

namespace Takler.Core.Nodes;

/// <summary>The server's set of flows, in the order they were added, and the server-level parameters.</summary>
public sealed class Bunch
{
    private readonly List<Flow> _flows = [];
    private readonly List<Parameter> _serverParameters = [];

    public Bunch(string host = "localhost", int port = 33083, string home = ".")
    {
        Host = host;
        Port = port;
        Home = home;
    }

    /// <summary>The host name announced to jobs (TAKLER_HOST). The default value is `localhost`.</summary>
    public string Host { get; set; }

    /// <summary>The port announced to jobs (TAKLER_PORT). The default value is 33083.</summary>
    public int Port { get; set; }

    /// <summary>The server's home (TAKLER_HOME). The default value is `.`.</summary>
    public string Home { get; set; }

    /// <summary>The flows, in insertion order.</summary>
    public IReadOnlyList<Flow> Flows => _flows;

    /// <summary>User parameters set at server level; they beat the generated ones.</summary>
    public IReadOnlyList<Parameter> ServerParameters => _serverParameters;

    /// <summary>Told of every change; set by the engine.</summary>
    public INodeObserver? Observer { get; set; }

    /// <summary>
    /// Adds a flow. A flow whose name exists is an error unless <paramref name="replace"/>, which puts the new
    /// flow in the old one's place.
    /// </summary>
    public Flow AddFlow(Flow flow, bool replace = false)
    {
        if (flow.OwnerBunch is not null)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow {flow.Name} already belongs to a server");
        }

        var index = _flows.FindIndex(f => f.Name == flow.Name);
        if (index >= 0)
        {
            if (!replace)
            {
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow {flow.Name} already exists (use replace)");
            }

            DetachFlow(_flows[index]);
            _flows[index] = flow;
        }
        else
        {
            _flows.Add(flow);
        }

        flow.OwnerBunch = this;
        Observer?.TreeChanged(null);
        return flow;
    }

    /// <summary>Removes a flow; false when there is none of that name.</summary>
    public bool RemoveFlow(string name)
    {
        var index = _flows.FindIndex(f => f.Name == name);
        if (index < 0)
        {
            return false;
        }

        DetachFlow(_flows[index]);
        _flows.RemoveAt(index);
        Observer?.TreeChanged(null);
        return true;
    }

    /// <summary>The flow of that name, or null.</summary>
    public Flow? FindFlow(string name) => _flows.Find(f => f.Name == name);

    /// <summary>
    /// The node at an absolute path, or null when there is none. A path that is not absolute (or `/` alone) is an
    /// <see cref="TaklerErrorCode.InvalidNodePath"/> error.
    /// </summary>
    public Node? FindNode(string path)
    {
        NodePaths.RequireAbsolute(path);
        return NodePaths.ResolveAbsolute(this, path);
    }

    /// <summary>The node at an absolute path; <see cref="TaklerErrorCode.NodeNotFound"/> when there is none.</summary>
    public Node GetNode(string path) => FindNode(path) ?? throw TaklerException.NodeNotFound(path);

    /// <summary>Sets a server-level user parameter.</summary>
    public void AddServerParameter(Parameter parameter)
    {
        var index = _serverParameters.FindIndex(p => p.Name == parameter.Name);
        if (index >= 0)
        {
            _serverParameters[index] = parameter;
        }
        else
        {
            _serverParameters.Add(parameter);
        }
    }

    /// <summary>Sets a server-level user parameter.</summary>
    public void AddServerParameter(string name, string value) => AddServerParameter(Parameter.Text(name, value));

    /// <summary>The generated server parameters: TAKLER_HOST, TAKLER_PORT, TAKLER_HOME (and ecFlow's ECF_HOST/ECF_PORT).</summary>
    public IEnumerable<KeyValuePair<string, string>> GeneratedServerParameters()
    {
        yield return new("TAKLER_HOST", Host);
        yield return new("TAKLER_PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("TAKLER_HOME", Home);
        yield return new("ECF_HOST", Host);
        yield return new("ECF_PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A server-level parameter: user first, then generated.</summary>
    public string? FindServerParameterValue(string name)
    {
        foreach (var p in _serverParameters)
        {
            if (p.Name == name)
            {
                return p.Value;
            }
        }

        foreach (var (key, value) in GeneratedServerParameters())
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Every node of every flow, in pre-order.</summary>
    public IEnumerable<Node> AllNodes() => _flows.SelectMany(f => f.SelfAndDescendants());

    private static void DetachFlow(Flow flow)
    {
        Task.ReleaseSubtree(flow, ancestorsToo: false);

        flow.OwnerBunch = null;
    }
}
