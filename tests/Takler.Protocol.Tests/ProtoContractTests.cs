using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Takler.Protocol.Tests;

/// <summary>
/// takler.proto against Takler's contract (takler-compat README §4.1-4.2): the same RPCs, message
/// names, field numbers, types and enum values, so Takler's own clients work against us.
/// </summary>
public sealed class ProtoContractTests
{
    private static readonly FileDescriptor File = TaklerReflection.Descriptor;

    public static TheoryData<string, string> TaklerMessages => new()
    {
        { "ServiceResponse", "1 int32 flag; 2 string message" },
        { "ChildCommandOptions", "1 string node_path" },
        { "InitCommand", "1 ChildCommandOptions child_options; 2 string task_id" },
        { "CompleteCommand", "1 ChildCommandOptions child_options" },
        { "AbortCommand", "1 ChildCommandOptions child_options; 2 string reason" },
        { "EventCommand", "1 ChildCommandOptions child_options; 2 string event_name" },
        { "MeterCommand", "1 ChildCommandOptions child_options; 2 string meter_name; 3 string meter_value" },
        { "RequeueCommand", "1 repeated string node_path" },
        { "SuspendCommand", "1 repeated string node_path" },
        { "RunCommand", "1 bool force; 2 repeated string node_path" },
        { "ForceCommand", "1 ForceCommand.ForceState state; 2 bool recursive; 3 repeated string path" },
        { "FreeDepCommand", "1 FreeDepCommand.DepType dep_type; 2 repeated string path" },
        { "LoadCommand", "1 string flow_type; 2 bytes flow" },
        { "BeginCommand", "1 string flow_name; 2 bool force" },
        { "ShowRequest", "1 bool show_trigger; 2 bool show_parameter; 3 bool show_limit; 4 bool show_event; 5 bool show_meter" },
        { "ShowResponse", "1 string output" },
        { "PingRequest", "" },
        { "PingResponse", "" },
        { "CoroutineRequest", "" },
        { "Coroutine", "1 string name; 2 string description" },
        { "CoroutineResponse", "1 repeated Coroutine coroutines" },
    };

    public static TheoryData<string, string, string> TaklerRpcs => new()
    {
        { "RunCommandInit", "InitCommand", "ServiceResponse" },
        { "RunCommandComplete", "CompleteCommand", "ServiceResponse" },
        { "RunCommandAbort", "AbortCommand", "ServiceResponse" },
        { "RunCommandEvent", "EventCommand", "ServiceResponse" },
        { "RunCommandMeter", "MeterCommand", "ServiceResponse" },
        { "RunCommandRequeue", "RequeueCommand", "ServiceResponse" },
        { "RunCommandSuspend", "SuspendCommand", "ServiceResponse" },
        { "RunCommandResume", "SuspendCommand", "ServiceResponse" },
        { "RunCommandRun", "RunCommand", "ServiceResponse" },
        { "RunCommandForce", "ForceCommand", "ServiceResponse" },
        { "RunCommandFreeDep", "FreeDepCommand", "ServiceResponse" },
        { "RunCommandLoad", "LoadCommand", "ServiceResponse" },
        { "RunCommandBegin", "BeginCommand", "ServiceResponse" },
        { "RunRequestShow", "ShowRequest", "ShowResponse" },
        { "RunRequestPing", "PingRequest", "PingResponse" },
        { "QueryCoroutine", "CoroutineRequest", "CoroutineResponse" },
    };

    [Fact]
    public void File_has_takler_package_and_options()
    {
        Assert.Equal("takler_protocol", File.Package);
        Assert.Equal("github.com/perillaroc/takler-client/takler_protocol", File.GetOptions().GoPackage);
        Assert.Equal("Takler.Protocol", File.GetOptions().CsharpNamespace);
        Assert.Equal("takler.proto", File.Name);
        Assert.Equal("proto3", File.Syntax.ToString().ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(TaklerMessages))]
    public void Takler_message_has_exactly_its_fields(string message, string fields)
    {
        var descriptor = File.MessageTypes.Single(m => m.Name == message);

        Assert.Equal(fields, string.Join("; ", descriptor.Fields.InFieldNumberOrder().Select(Describe)));
    }

    [Theory]
    [MemberData(nameof(TaklerRpcs))]
    public void Takler_rpc_is_unary_with_its_messages(string rpc, string request, string response)
    {
        var method = Service.FindMethodByName(rpc);

        Assert.NotNull(method);
        Assert.Equal(request, method.InputType.Name);
        Assert.Equal(response, method.OutputType.Name);
        Assert.False(method.IsClientStreaming);
        Assert.False(method.IsServerStreaming);
    }

    [Fact]
    public void Service_is_takler_server()
    {
        Assert.Equal("takler_protocol.TaklerServer", Service.FullName);
        Assert.Equal(TaklerServerMethods.ServiceName, Service.FullName);
    }

    [Fact]
    public void Force_state_values_are_takler_values() =>
        Assert.Equal(
            "unknown=0 complete=1 queued=2 submitted=3 active=4 aborted=5 clear=6 set=7",
            EnumValues("ForceCommand", "ForceState"));

    [Fact]
    public void Dep_type_values_are_takler_values() =>
        Assert.Equal("all=0 trigger=1 time=2", EnumValues("FreeDepCommand", "DepType"));

    [Fact]
    public void Node_status_numbers_match_takler_node_status_ints()
    {
        // README §2.2: unknown 1, complete 2, queued 3, submitted 4, active 5, aborted 6.
        Assert.Equal(1, (int)NodeStatus.Unknown);
        Assert.Equal(2, (int)NodeStatus.Complete);
        Assert.Equal(3, (int)NodeStatus.Queued);
        Assert.Equal(4, (int)NodeStatus.Submitted);
        Assert.Equal(5, (int)NodeStatus.Active);
        Assert.Equal(6, (int)NodeStatus.Aborted);
    }

    [Fact]
    public void Every_extension_answer_has_flag_and_message_like_service_response()
    {
        var takler = TaklerRpcs.Select(row => (string)row[0]).ToHashSet();
        foreach (var method in Service.Methods.Where(m => !takler.Contains(m.Name)))
        {
            var output = method.OutputType;
            var flag = output.FindFieldByNumber(1);
            var message = output.FindFieldByNumber(2);
            Assert.True(flag is { Name: "flag", FieldType: FieldType.Int32 }, $"{method.Name}: {output.Name} needs 1 int32 flag");
            Assert.True(message is { Name: "message", FieldType: FieldType.String }, $"{method.Name}: {output.Name} needs 2 string message");
        }
    }

    [Fact]
    public void Extension_rpcs_are_all_there()
    {
        string[] extensions =
        [
            "RunCommandLabel", "RunChildCommand", "RunCommandKill", "RunCommandAlter", "RunCommandDelete",
            "RunCommandReplace", "RunCommandLoadDef", "RunCommandCheckpoint", "RequestStatus", "RequestWhy",
            "RequestTree", "RequestZombies", "RequestServerStats", "RequestExport", "RunCommandSubmit", "WatchStatus",
        ];

        Assert.Equal(
            TaklerRpcs.Select(row => (string)row[0]).Concat(extensions).Order(StringComparer.Ordinal),
            Service.Methods.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Watch_status_streams_its_events()
    {
        var method = Service.FindMethodByName("WatchStatus");

        Assert.Equal("WatchRequest", method.InputType.Name);
        Assert.Equal("WatchEvent", method.OutputType.Name);
        Assert.False(method.IsClientStreaming);
        Assert.True(method.IsServerStreaming);
    }

    [Fact]
    public void Child_command_extension_carries_password_try_number_and_rid() =>
        Assert.Equal(
            "1 string password; 2 int32 try_no; 3 string rid",
            string.Join("; ", ChildCommandExtension.Descriptor.Fields.InFieldNumberOrder().Select(Describe)));

    [Fact]
    public void Takler_wire_bytes_decode_into_our_messages()
    {
        // A MeterCommand as Takler's client encodes it: field 1 (message), 2 and 3 (strings).
        byte[] wire = [0x0A, 0x04, 0x0A, 0x02, 0x2F, 0x74, 0x12, 0x01, 0x6D, 0x1A, 0x02, 0x34, 0x32];

        var command = MeterCommand.Parser.ParseFrom(wire);

        Assert.Equal("/t", command.ChildOptions.NodePath);
        Assert.Equal("m", command.MeterName);
        Assert.Equal("42", command.MeterValue);
        Assert.Equal(wire, command.ToByteArray());
    }

    private static ServiceDescriptor Service => File.Services.Single();

    private static string Describe(FieldDescriptor field)
    {
        var type = field.FieldType switch
        {
            FieldType.Message => field.MessageType.Name,
            FieldType.Enum => field.EnumType.FullName["takler_protocol.".Length..],
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
        return $"{field.FieldNumber} {(field.IsRepeated ? "repeated " : string.Empty)}{type} {field.Name}";
    }

    private static string EnumValues(string message, string enumName) =>
        string.Join(' ', File.MessageTypes.Single(m => m.Name == message).EnumTypes.Single(e => e.Name == enumName)
            .Values.Select(v => $"{v.Name}={v.Number}"));
}
