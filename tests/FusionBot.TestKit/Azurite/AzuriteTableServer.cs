using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FusionBot.TestKit.Azurite;

/// <summary>
/// A real azurite Table service on a loopback port, started once per test run (in memory) and killed when the
/// test process exits. Tests isolate themselves with <see cref="NewTablePrefix"/>.
/// </summary>
public sealed class AzuriteTableServer : IDisposable
{
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BootstrapTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<AzuriteTableServer>> Shared = new(StartAsync);

    private const string WatchParentScript =
        """
        parent=$1; shift
        "$@" &
        child=$!
        echo "azurite-pid $child"
        trap 'kill $child 2>/dev/null' EXIT
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
        """;

    private readonly Process _process;
    private readonly int _serverPid;

    private AzuriteTableServer(Process process, int serverPid, int port)
    {
        _process = process;
        _serverPid = serverPid;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public int Port { get; }

    /// <summary>The documented development account's connection string, pointing at this server.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"TableEndpoint=http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;";

    /// <summary>The server shared by every test of this process; started on first use.</summary>
    public static Task<AzuriteTableServer> GetSharedAsync() => Shared.Value;

    /// <summary>A table prefix no other test uses (letters and digits, starting with a letter).</summary>
    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..20];

    /// <summary>A server of the caller's own, for tests that make storage go away (<see cref="Pause"/>); dispose it after.</summary>
    public static Task<AzuriteTableServer> StartDedicatedAsync() => StartAsync();

    /// <summary>Freezes the server (SIGSTOP): connections open but nothing answers, as when storage is unreachable.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Lets a paused server go on (SIGCONT), with every table as it was.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public void Dispose() => Stop();

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _serverPid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_serverPid} failed ({kill.ExitCode}).");
        }
    }

    private static async Task<AzuriteTableServer> StartAsync()
    {
        var root = RepositoryRoot();
        var executable = Path.Combine(root, "tools", "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            await BootstrapAsync(root);
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException($"scripts/bootstrap.sh ran but {executable} is still missing.");
            }
        }

        // The port is picked by binding port 0 and releasing it, so another process may grab it first: try again.
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var (process, serverPid, output, started) = await LaunchAsync(executable, port);
            if (started)
            {
                return new AzuriteTableServer(process, serverPid, port);
            }

            failures.AppendLine(CultureInfo.InvariantCulture, $"port {port}: {output}");
        }

        throw new InvalidOperationException($"azurite-table did not start:{Environment.NewLine}{failures}");
    }

    private static async Task<(Process Process, int ServerPid, string Output, bool Started)> LaunchAsync(string executable, int port)
    {
        // The test host may be killed without running exit handlers, so a small shell watches it and takes
        // azurite down with it: no orphan server outlives the test run.
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-c", WatchParentScript, "azurite-table", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                     executable, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--disableTelemetry", "--silent",
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var serverPid = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("azurite-pid ", StringComparison.Ordinal))
            {
                serverPid = int.Parse(e.Data.AsSpan("azurite-pid ".Length), CultureInfo.InvariantCulture);
            }

            if (e.Data.Contains("successfully started", StringComparison.OrdinalIgnoreCase))
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException("azurite-table exited."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await started.Task.WaitAsync(StartTimeout);
            return (process, serverPid, string.Empty, true);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Kill(process);
            lock (output)
            {
                return (process, serverPid, $"{e.Message} {output}", false);
            }
        }
    }

    private static async Task BootstrapAsync(string root)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("scripts/bootstrap.sh");
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("Could not run bash scripts/bootstrap.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(BootstrapTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"tools/node_modules is missing and scripts/bootstrap.sh failed ({process.ExitCode}):{Environment.NewLine}" +
                $"{await stdout}{await stderr}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FusionBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FusionBot.sln above {AppContext.BaseDirectory}: cannot find tools/ to run azurite.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Stop() => Kill(_process);
}
