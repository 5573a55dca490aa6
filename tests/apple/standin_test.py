#!/usr/bin/env python3
"""Self-test of the stand-in for Apple's `container` CLI (tests/apple/container).

StandinGrammarTest, StandinOutputTest, StandinLogTest: no bench needed (label
`unit`): the grammar (accepted and refused argument vectors, exit 64 and the
messages), the JSON shapes per version against tests/fixtures/apple, the
argv log. StandinBenchTest: real pulls and runs through the bench's Podman
service and registry; skipped, with the reason, when they do not answer.

    python3 tests/apple/standin_test.py                      # everything
    python3 tests/apple/standin_test.py StandinGrammarTest   # one class
"""

import ast
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(HERE, "container")
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures", "apple")
BENCH_DIR = os.environ.get("CRUN_BENCH_DIR", "/tmp/crun-bench")

USAGE_RUN = ("Usage: container run [<options>] <image> [<arguments> ...]\n"
             "  See 'container run --help' for more information.\n")
ROOT_USAGE = "Usage: container [--debug] <subcommand>\n  See 'container --help' for more information.\n"
XPC_HINT = "Ensure container system service has been started with `container system start`."


def fixture(rel):
    with open(os.path.join(FIXTURES, rel), encoding="utf-8") as f:
        return f.read()


def fixture_json(rel):
    return json.loads(fixture(rel))


class Standin:
    """Runs the stand-in with its own state directory and argv log."""

    def __init__(self, prefix):
        self.dir = tempfile.mkdtemp(prefix="crun-standin-%s-" % prefix)
        self.state = os.path.join(self.dir, "state")
        self.log = os.path.join(self.dir, "argv.jsonl")

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("CRUN_STANDIN_") and not k.startswith("CONTAINER_")}
        env["CRUN_STANDIN_STATE"] = self.state
        env["CRUN_STANDIN_LOG"] = self.log
        env["CRUN_STANDIN_PODMAN_URL"] = "unix://%s/podman.sock" % BENCH_DIR
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def run(self, *argv, input=None, timeout=300, **env):
        return subprocess.run([STANDIN] + list(argv), input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=self.env(**env), timeout=timeout)

    def popen(self, *argv, **kw):
        env = kw.pop("env", {})
        return subprocess.Popen([STANDIN] + list(argv), env=self.env(**env), **kw)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def fits(actual, expected, path="$"):
    """actual has expected's structure: objects with the same keys, values of the same
    kinds, and each element of an actual array fitting some element of the expected one."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise AssertionError("%s: an object expected, got %r" % (path, actual))
        if set(actual) != set(expected):
            raise AssertionError("%s: keys %s, fixture has %s" % (path, sorted(actual), sorted(expected)))
        for k in actual:
            fits(actual[k], expected[k], "%s.%s" % (path, k))
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            raise AssertionError("%s: an array expected, got %r" % (path, actual))
        if not expected:
            return
        for i, a in enumerate(actual):
            errors = []
            for e in expected:
                try:
                    fits(a, e, "%s[%d]" % (path, i))
                    break
                except AssertionError as x:
                    errors.append(str(x))
            else:
                raise AssertionError(errors[0])
    else:
        def kind(v):
            if isinstance(v, bool):
                return "bool"
            if isinstance(v, (int, float)):
                return "number"
            if isinstance(v, str):
                return "string"
            return type(v).__name__
        if kind(actual) != kind(expected):
            raise AssertionError("%s: %s (%r), fixture has %s" % (path, kind(actual), actual, kind(expected)))


def keys_sorted_everywhere(text):
    ok = [True]

    def hook(pairs):
        keys = [k for k, _ in pairs]
        if keys != sorted(keys, key=lambda k: k.encode()):
            ok[0] = False
        return dict(pairs)
    json.loads(text, object_pairs_hook=hook)
    return ok[0]


class StyleMixin:
    def assertStyle(self, text, pretty, escaped, sorted_keys=True):
        body = text.rstrip("\n")
        self.assertTrue(text.endswith("\n") and not text.endswith("\n\n"), "one trailing newline")
        if pretty:
            self.assertIn('" : ', body)
            if "[]" in body or "{}" in body:
                self.fail("pretty output prints empty collections with a blank line")
        else:
            self.assertNotIn("\n", body)
            self.assertNotIn('": ', body)
            self.assertNotIn('" : ', body)
        if escaped:
            self.assertNotRegex(body, r'(?<!\\)/')
        else:
            self.assertNotIn("\\/", body)
        if sorted_keys:
            self.assertTrue(keys_sorted_everywhere(body), "keys sorted at every level")


# ------------------------------------------------------------------ grammar
class StandinGrammarTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Standin("grammar")

    @classmethod
    def tearDownClass(cls):
        cls.s.cleanup()

    def usage_error(self, argv, stderr, version=None, **env):
        if version:
            env["CRUN_STANDIN_VERSION"] = version
        r = self.s.run(*argv, CRUN_STANDIN_SERVICE="stopped", **env)
        self.assertEqual(r.returncode, 64, r.stderr.decode())
        self.assertEqual(r.stdout, b"")
        self.assertEqual(r.stderr.decode(), stderr)

    def accepted(self, argv, version=None, **env):
        """Parsed: the command reaches the (stopped) service and fails there with exit 1."""
        if version:
            env["CRUN_STANDIN_VERSION"] = version
        r = self.s.run(*argv, CRUN_STANDIN_SERVICE="stopped", **env)
        self.assertEqual(r.returncode, 1, "%s: %s" % (argv, r.stderr.decode()))
        self.assertIn("XPC connection error", r.stderr.decode())
        return r

    def test_version_per_generation(self):
        for version, rel in (("1.2.2", "1.2/version.txt"), ("0.12.0", "0.12/version.txt"), ("1.4.1", "1.4.1/version.txt")):
            r = self.s.run("--version", CRUN_STANDIN_VERSION=version)
            self.assertEqual(r.returncode, 0)
            self.assertEqual(r.stdout.decode(), fixture(rel))
            self.assertRegex(r.stdout.decode(), r"version (\d+\.\d+\.\d+)")

    def test_unknown_top_level_word_is_a_plugin(self):
        for version in ("1.2.2", "0.12.0"):
            r = self.s.run("images", "pull", "alpine", CRUN_STANDIN_VERSION=version)
            self.assertEqual(r.returncode, 64)
            self.assertEqual(r.stderr.decode(),
                             "Error: Plugin 'container-images' not found.\n\n"
                             "- If system services are not running, start them with: container system start\n"
                             "- If the plugin isn't installed, ensure it exists under:\n\n"
                             "Check to see that the plugin exists under:\n"
                             "  - /usr/local/libexec/container-plugins/images\n"
                             "  - /usr/local/libexec/container/plugins/images\n\n" + ROOT_USAGE)
        for word in ("pull", "ps", "rmi", "wait", "images"):
            r = self.s.run(word, "x", CRUN_STANDIN_SERVICE="stopped")
            self.assertEqual(r.returncode, 64)
            self.assertTrue(r.stderr.decode().startswith("Error: Plugins are unavailable."), r.stderr)

    def test_option_before_subcommand(self):
        self.usage_error(["--foo", "ls"], "Error: unknown option '--foo'\n" + ROOT_USAGE)

    def test_unknown_options_of_run(self):
        self.usage_error(["run", "-P", "img"], "Error: Unknown option '-P'\n" + USAGE_RUN)
        # swift-argument-parser suggests a long name within edit distance 3
        self.usage_error(["run", "--pull", "always", "img"], "Error: Unknown option '--pull'. Did you mean '--uid'?\n" + USAGE_RUN)
        self.usage_error(["run", "--restart", "no", "img"], "Error: Unknown option '--restart'\n" + USAGE_RUN)
        self.usage_error(["run", "--foo", "img"], "Error: Unknown option '--foo'. Did you mean '--os'?\n" + USAGE_RUN)
        self.usage_error(["run", "--hostname", "h", "img"], "Error: Unknown option '--hostname'\n" + USAGE_RUN)

    def test_values(self):
        self.usage_error(["run", "--cpus", "1.5", "img"],
                         "Error: The value '1.5' is invalid for '--cpus <cpus>'\n"
                         "Help:  --cpus <cpus>  Number of CPUs to allocate to the container\n" + USAGE_RUN)
        self.usage_error(["run", "-c", "0.5", "img"],
                         "Error: The value '0.5' is invalid for '-c <cpus>'\n"
                         "Help:  -c <cpus>  Number of CPUs to allocate to the container\n" + USAGE_RUN)
        self.usage_error(["run", "--rm=true", "img"],
                         "Error: The option '--rm' does not take any value, but 'true' was specified.\n" + USAGE_RUN)
        self.usage_error(["run", "--name"],
                         "Error: Missing value for '--name <name>'\n"
                         "Help:  --name <name>  Use the specified name as the container ID\n" + USAGE_RUN)
        self.usage_error(["run"], "Error: Missing expected argument '<image>'\nHelp:  <image>  Image name\n" + USAGE_RUN)

    def test_progress_values_per_version(self):
        pull_usage = ("Usage: container image pull [--scheme <scheme>] [--progress <type>] [--max-concurrent-downloads "
                      "<max-concurrent-downloads>] [--arch <arch>] [--os <os>] [--platform <platform>] [--debug] <reference>\n"
                      "  See 'container image pull --help' for more information.\n")
        for version in ("0.12.0", "1.2.2", "1.4.1"):
            self.usage_error(["image", "pull", "--progress", "tty", "x"],
                             "Error: The value 'tty' is invalid for '--progress <type>'. Please provide one of 'auto', "
                             "'none', 'ansi', 'plain' or 'color'.\n"
                             "Help:  --progress <type>  Progress type (format: auto|none|ansi|plain|color)\n" + pull_usage,
                             version=version)
            for value in ("auto", "none", "ansi", "plain", "color"):
                self.accepted(["image", "pull", "--progress", value, "x"], version=version)
        # create has no --progress (1.2.2 ContainerCreate.swift)
        self.usage_error(["create", "--progress", "none", "img"],
                         "Error: Unknown option '--progress'\nUsage: container create [<options>] <image> [<arguments> ...]\n"
                         "  See 'container create --help' for more information.\n")

    def test_run_options_accepted(self):
        argv = ["run", "-i", "-t", "-d", "--rm", "-e", "A=1", "--env", "B", "--env-file", "/dev/null", "-w", "/tmp",
                "--cwd", "/", "--workdir", "/", "-u", "0:0", "--uid", "1", "--gid", "1", "-c", "2", "-m", "512M",
                "--name", "n1", "--entrypoint", "sh", "-p", "127.0.0.1:8080:80/tcp", "--publish", "9000-9001:9000-9001",
                "-v", "/tmp:/tmp", "--volume", "/tmp:/x:ro", "--mount", "type=bind,source=/tmp,target=/y,readonly",
                "--tmpfs", "/run", "--read-only", "-l", "a=b", "--label", "c", "--cap-add", "NET_RAW", "--cap-drop", "ALL",
                "--init", "--network", "default", "--platform", "linux/amd64", "-a", "arm64", "--arch", "amd64", "--os",
                "linux", "--rosetta", "--scheme", "http", "--progress", "none", "--max-concurrent-downloads", "3",
                "--dns", "1.1.1.1", "--dns-search", "x", "--dns-option", "ndots:1", "--dns-domain", "test",
                "--cidfile", "/tmp/x", "--ulimit", "nofile=10:20", "--debug", "img", "cmd", "--rm", "-x"]
        self.accepted(argv)
        self.accepted(["run", "-it", "--rm", "img"])
        self.accepted(["run", "-dit", "img", "sh"])
        self.accepted(["run", "--", "img"])
        self.accepted(["run", "--remove", "img"])

    def test_options_per_version(self):
        for flag, value in (("--kernel-arg", "x"), ("--shm-size", "64M"), ("--masked-path", "/x"), ("--read-only-path", "/x")):
            self.accepted(["run", flag, value, "img"], version="1.2.2")
            self.usage_error(["run", flag, value, "img"], "Error: Unknown option '%s'\n" % flag + USAGE_RUN, version="0.12.0")
        self.accepted(["ls", "--format", "toml"], version="1.2.2")
        self.usage_error(["ls", "--format", "toml"],
                         "Error: The value 'toml' is invalid for '--format <format>'. Please provide one of 'json', 'table' "
                         "or 'yaml'.\nHelp:  --format <format>  Format of the output\n"
                         "Usage: container list [--all] [--format <format>] [--quiet] [--debug]\n"
                         "  See 'container list --help' for more information.\n", version="0.12.0")

    def test_scheme_auto_gone_in_1_3(self):
        self.accepted(["image", "pull", "--scheme", "auto", "x"], version="1.2.2")
        for version in ("1.3.0", "1.3.1", "1.4.1"):
            r = self.s.run("image", "pull", "--scheme", "auto", "--platform", "linux/arm64", "127.0.0.1:5857/x:1",
                           CRUN_STANDIN_VERSION=version)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stderr.decode(), "Error: unsupported scheme auto\n")
        r = self.s.run("image", "pull", "--scheme", "ftp", "127.0.0.1:5857/x:1")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: unsupported scheme ftp\n"))

    def test_aliases_and_subcommands(self):
        for argv in (["ls", "-a"], ["list", "--all"], ["i", "ls", "--format", "json"], ["image", "list", "-q"],
                     ["i", "rm", "x"], ["image", "delete", "-f", "x"], ["rm", "-f", "x"], ["delete", "x"],
                     ["inspect", "x"], ["image", "inspect", "x"], ["kill", "-s", "TERM", "x"], ["stop", "-t", "1", "x"],
                     ["start", "-a", "-i", "x"], ["logs", "-n", "3", "x"], ["image", "tag", "a", "b"],
                     ["r", "login", "--password-stdin", "-u", "u", "127.0.0.1:5858"],
                     ["create", "img"], ["run", "img"]):
            self.accepted(argv)
        self.usage_error(["image", "foo"], "Error: Unexpected argument 'foo'\nUsage: container image [--debug] <subcommand>\n"
                                           "  See 'container image --help' for more information.\n")
        self.usage_error(["inspect"], "Error: Missing expected argument '<container-ids> ...'\n"
                                      "Help:  <container-ids>  Container IDs to inspect\n"
                                      "Usage: container inspect [--debug] <container-ids> ...\n"
                                      "  See 'container inspect --help' for more information.\n")
        self.usage_error(["kill", "-s"], "Error: Missing value for '-s <signal>'\nHelp:  -s <signal>  Signal to send to the container(s)\n"
                                         "Usage: container kill [--all] [--signal <signal>] [--debug] [<container-ids> ...]\n"
                                         "  See 'container kill --help' for more information.\n")

    def test_validate_errors_exit_1(self):
        for argv, text in ((["stop"], "no containers specified and --all not supplied"),
                           (["kill"], "no containers specified and --all not supplied"),
                           (["delete", "-a", "x"], "explicitly supplied container ID(s) conflict with the --all flag"),
                           (["image", "rm"], "no images specified and --all not supplied")):
            r = self.s.run(*argv)
            self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: %s\n" % text))

    def test_service_not_running(self):
        xpc = 'interrupted: "XPC connection error: Connection invalid"'
        r = self.s.run("run", "--platform", "linux/amd64", "img", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: %s\n%s\n" % (xpc, XPC_HINT)))
        r = self.s.run("ls", "--format", "json", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual((r.returncode, r.stderr.decode()),
                         (1, 'Error: internalError: "failed to list containers" (cause: "%s")\n%s\n' % (xpc, XPC_HINT)))
        self.assertEqual(r.stdout, b"")
        r = self.s.run("system", "start", "--enable-kernel-install", CRUN_STANDIN_SERVICE="unregistered")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.decode().endswith(
            'Error: internalError: "failed to get a response from apiserver: %s"\n%s\n' % (xpc, XPC_HINT)))

    def test_logout_needs_no_service(self):
        # RegistryLogout only talks to the keychain
        r = self.s.run("registry", "logout", "127.0.0.1:5858", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, b"", b""))

    def test_login_needs_username(self):
        r = self.s.run("registry", "login", "--password-stdin", "127.0.0.1:5858", input=b"pw\n")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: must provide --username with --password-stdin\n"))

    def test_unmodelled_fails_loudly(self):
        for argv in (["build", "."], ["image", "load", "-i", "x"], ["system", "logs"], ["--help"],
                     ["run", "--help"], ["volume", "ls"], ["help"]):
            r = self.s.run(*argv)
            self.assertEqual(r.returncode, 70, argv)
            self.assertTrue(r.stderr.decode().startswith("container (stand-in): "), r.stderr)
        r = self.s.run("--version", CRUN_STANDIN_VERSION="9.9.9")
        self.assertEqual(r.returncode, 78)

    def test_exec_grammar(self):
        # ContainerExec.swift: Flags.Process and -d before the ID; everything after the ID is the
        # process's (captureForPassthrough), options included.
        for argv in (["exec", "c", "ls"], ["exec", "-i", "-t", "-d", "-e", "A=1", "--env-file", "/nonexistent",
                                          "-u", "1", "-w", "/tmp", "c", "ls", "-l", "--all"],
                     ["exec", "--", "c", "sh", "-c", "x"], ["exec", "c", "--", "ls"], ["exec", "--workdir", "/", "--cwd", "/", "c", "ls"]):
            self.accepted(argv)
        self.usage_error(["exec", "--ulimit"], "Error: Missing value for '--ulimit <limit>'\n"
                         "Help:  --ulimit <limit>  Set resource limits (format: <type>=<soft>[:<hard>])\n"
                         "Usage: container exec [<options>] <container-id> [<arguments> ...]\n"
                         "  See 'container exec --help' for more information.\n")
        r = self.s.run("exec", "--nope", "c", "ls", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual(r.returncode, 64, r.stderr.decode())
        r = self.s.run("exec", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual(r.returncode, 64, r.stderr.decode())
        self.assertIn("Missing expected argument '<container-id>'", r.stderr.decode())

    def test_no_shell_anywhere(self):
        with open(STANDIN, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "shell":
                        self.fail("shell= used at line %d" % node.lineno)
                fn = node.func
                if isinstance(fn, ast.Attribute) and fn.attr in ("system", "popen", "getoutput", "getstatusoutput", "spawnlp", "execlp"):
                    self.fail("%s used at line %d" % (fn.attr, node.lineno))


# ------------------------------------------------------------------ outputs without the bench
class StandinOutputTest(StyleMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Standin("output")

    @classmethod
    def tearDownClass(cls):
        cls.s.cleanup()

    def check(self, argv, rel, code=0, pretty=False, escaped=True, sorted_keys=True, **env):
        r = self.s.run(*argv, **env)
        self.assertEqual(r.returncode, code, r.stderr.decode())
        text = r.stdout.decode()
        fits(json.loads(text), fixture_json(rel))
        self.assertStyle(text, pretty, escaped, sorted_keys)
        return json.loads(text)

    def test_system_status_1_2(self):
        d = self.check(["system", "status", "--format", "json"], "1.2/system-status.json")
        self.assertEqual(d["status"], "running")
        self.assertEqual(d["apiServerVersion"], "container-apiserver version 1.2.2 (build: release, commit: 0190097)")
        d = self.check(["system", "status", "--format", "json"], "1.2/system-status-not-running.json", code=1,
                       CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual(d["status"], "not running")
        d = self.check(["system", "status", "--format", "json"], "1.2/system-status-unregistered.json", code=1,
                       CRUN_STANDIN_SERVICE="unregistered")
        self.assertEqual(d["status"], "unregistered")
        d = self.check(["s", "status", "--format", "json"], "1.2/system-status.json", CRUN_STANDIN_VERSION="1.3.1")
        r = self.s.run("system", "status", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual((r.returncode, r.stdout), (1, b"apiserver is not running\n"))

    def test_system_version(self):
        d = self.check(["system", "version", "--format", "json"], "1.2/system-version.json")
        self.assertEqual(len(d), 2)
        d = self.check(["system", "version", "--format", "json"], "1.2/system-version-no-server.json", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual(len(d), 1)
        d = self.check(["system", "version", "--format", "json"], "1.4.1/system-version.json", escaped=False, CRUN_STANDIN_VERSION="1.4.1")
        self.assertEqual(d[1]["version"], "1.4.1")

    def test_system_status_1_4_1_and_skew(self):
        d = self.check(["system", "status", "--format", "json"], "1.4.1/system-status.json", escaped=False,
                       CRUN_STANDIN_VERSION="1.4.1")
        self.assertEqual(d["client"]["version"], d["server"]["version"])
        d = self.check(["system", "status", "--format", "json"], "1.4.1/system-status-skew.json", escaped=False,
                       CRUN_STANDIN_VERSION="1.4.1", CRUN_STANDIN_SERVER_VERSION="1.2.2")
        self.assertEqual(d["client"]["version"], "1.4.1")
        self.assertIn("version 1.2.2", d["server"]["version"])
        r = self.s.run("system", "status", "--format", "json", CRUN_STANDIN_VERSION="1.4.1", CRUN_STANDIN_SERVICE="stopped")
        self.assertEqual((r.returncode, r.stdout.decode()), (1, fixture("1.4.1/system-status-not-running.json")))
        d = self.check(["system", "status", "--format", "json"], "1.2/system-status.json",
                       CRUN_STANDIN_VERSION="1.2.2", CRUN_STANDIN_SERVER_VERSION="1.4.1")
        self.assertEqual(d["apiServerVersion"], "1.4.1")

    def test_pre_1_0_shapes(self):
        d = self.check(["system", "status", "--format", "json"], "0.12/system-status.json", sorted_keys=False,
                       CRUN_STANDIN_VERSION="0.12.0")
        self.assertEqual(d["status"], "running")
        self.check(["system", "version", "--format", "json"], "0.12/system-version.json", sorted_keys=False,
                   CRUN_STANDIN_VERSION="0.12.0")
        orders = set()
        for seed in range(8):
            r = self.s.run("system", "status", "--format", "json", CRUN_STANDIN_VERSION="0.12.0", CRUN_STANDIN_SEED=str(seed))
            orders.add(tuple(json.loads(r.stdout, object_pairs_hook=lambda p: [k for k, _ in p])))
        self.assertGreater(len(orders), 1, "0.x key order is a Swift Dictionary's, not stable")

    def test_fixtures_are_consistent(self):
        # every fixture of a generation has that generation's style
        for rel in sorted(os.listdir(os.path.join(FIXTURES, "1.2"))):
            if rel.endswith(".json"):
                text = fixture("1.2/" + rel)
                self.assertStyle(text, pretty="inspect" in rel, escaped=True)
        for rel in sorted(os.listdir(os.path.join(FIXTURES, "1.4.1"))):
            if rel.endswith(".json"):
                self.assertStyle(fixture("1.4.1/" + rel), pretty="inspect" in rel, escaped=False)
        for rel in sorted(os.listdir(os.path.join(FIXTURES, "0.12"))):
            if rel.endswith(".json"):
                self.assertStyle(fixture("0.12/" + rel), pretty=False, escaped=True, sorted_keys=False)
        errors = fixture_json("errors.json")["messages"]
        for mid, variants in errors.items():
            for v in variants:
                self.assertIn(v["basis"], ("source", "issue", "approximate"), mid)
                self.assertTrue(v["source"], mid)


class StandinLogTest(unittest.TestCase):
    def test_one_json_line_per_call(self):
        s = Standin("log")
        try:
            calls = [["--version"], ["image", "pull", "--platform", "linux/arm64", "x"], ["run", "--bogus"],
                     ["run", "--rm", "img", "sh", "-c", "echo 'a b'"]]
            for argv in calls:
                s.run(*argv, CRUN_STANDIN_SERVICE="stopped", CONTAINER_DEFAULT_PLATFORM="linux/amd64",
                      CONTAINER_REGISTRY_TOKEN="secret-token")
            with open(s.log, encoding="utf-8") as f:
                lines = [json.loads(l) for l in f]
            self.assertEqual([l["argv"] for l in lines], calls)
            for l in lines:
                self.assertEqual(l["env"]["CONTAINER_DEFAULT_PLATFORM"], "linux/amd64")
                self.assertEqual(l["env"]["CONTAINER_REGISTRY_TOKEN"], "<redacted>")
                self.assertEqual(l["env"]["CRUN_STANDIN_SERVICE"], "stopped")
                self.assertEqual(set(l), {"argv", "argv0", "cwd", "env", "pid", "time", "tty"})
                self.assertEqual(set(l["tty"]), {"stdin", "stdout", "stderr"})
            with open(s.log, encoding="utf-8") as f:
                self.assertNotIn("secret-token", f.read())
        finally:
            s.cleanup()


# ------------------------------------------------------------------ with the bench
def bench_env():
    path = os.path.join(BENCH_DIR, "env")
    env = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    except OSError:
        return None
    return env


def bench_reason():
    env = bench_env()
    if env is None:
        return "no bench env file at %s/env (tests/bench/up)" % BENCH_DIR
    sock = os.path.join(BENCH_DIR, "podman.sock")
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(3)
        s.connect(sock)
        s.sendall(b"GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n")
        if not s.recv(16).startswith(b"HTTP/1."):
            return "the bench's Podman socket %s does not answer" % sock
        s.close()
    except OSError as e:
        return "the bench's Podman socket %s does not answer (%s)" % (sock, e)
    try:
        urllib.request.urlopen("http://%s/v2/" % env["CRUN_BENCH_REGISTRY"], timeout=3).read()
    except Exception as e:     # noqa: BLE001 - any failure means no registry
        return "the bench registry does not answer (%s)" % e
    return None


BENCH_SKIP = bench_reason()


@unittest.skipIf(BENCH_SKIP, BENCH_SKIP or "")
class StandinBenchTest(StyleMixin, unittest.TestCase):
    """Real pulls and runs through the bench's Podman service (label `integration`)."""

    @classmethod
    def setUpClass(cls):
        cls.b = bench_env()
        cls.s = Standin("bench")
        cls.podman = ["podman", "--url", "unix://%s/podman.sock" % BENCH_DIR]

    @classmethod
    def tearDownClass(cls):
        s = cls.s
        for version in ("1.2.2",):
            s.run("delete", "--all", "--force", CRUN_STANDIN_VERSION=version)
            s.run("image", "delete", "--all", CRUN_STANDIN_VERSION=version)
        s.cleanup()

    def tearDown(self):
        r = self.s.run("ls", "-a", "-q")
        if r.stdout.strip():
            self.s.run("delete", "--all", "--force")

    def podman_ours(self):
        ns = self.ns()
        r = subprocess.run(self.podman + ["ps", "-a", "--filter", "label=crun-standin.ns=%s" % ns, "--format", "{{.Names}}"],
                           stdout=subprocess.PIPE, check=True)
        return r.stdout.decode().split()

    def ns(self):
        import hashlib
        return hashlib.sha256(os.path.abspath(self.s.state).encode()).hexdigest()[:10]

    def ok(self, *argv, **env):
        r = self.s.run(*argv, **env)
        self.assertEqual(r.returncode, 0, "%s: %s" % (argv, r.stderr.decode()))
        return r

    def test_01_pull_platform_and_inspect(self):
        b = self.b
        r = self.ok("image", "pull", "--progress", "none", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_MULTI"])
        self.assertEqual((r.stdout, r.stderr), (b"", b""))
        r = self.ok("image", "inspect", b["CRUN_BENCH_IMAGE_MULTI"])
        d = json.loads(r.stdout)
        fits(d, fixture_json("1.2/image-inspect-platform.json"))
        self.assertStyle(r.stdout.decode(), pretty=True, escaped=True)
        self.assertEqual(d[0]["configuration"]["descriptor"]["digest"], b["CRUN_BENCH_DIGEST_MULTI"])
        self.assertEqual([v["digest"] for v in d[0]["variants"]], [b["CRUN_BENCH_DIGEST_MULTI_AMD64"]])
        self.assertEqual(d[0]["id"], b["CRUN_BENCH_DIGEST_MULTI"][7:])

    def test_02_single_manifest(self):
        b = self.b
        self.ok("image", "pull", "--progress", "none", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_SMALL"])
        d = json.loads(self.ok("image", "inspect", b["CRUN_BENCH_IMAGE_SMALL"]).stdout)
        fits(d, fixture_json("1.2/image-inspect-single.json"))
        self.assertEqual(d[0]["variants"][0]["digest"], b["CRUN_BENCH_DIGEST_SMALL"])
        self.assertNotEqual(d[0]["configuration"]["descriptor"]["digest"], b["CRUN_BENCH_DIGEST_SMALL"])
        r = self.s.run("image", "pull", "--progress", "none", "--platform", "linux/arm64", b["CRUN_BENCH_IMAGE_SMALL"])
        self.assertEqual((r.returncode, r.stderr.decode()),
                         (1, "Error: image %s does not support required platforms\n" % b["CRUN_BENCH_DIGEST_SMALL"]))
        # 0.x: the registry's manifest descriptor as `index`, no per-variant digest
        r = self.ok("image", "inspect", b["CRUN_BENCH_IMAGE_SMALL"], CRUN_STANDIN_VERSION="0.12.0")
        d = json.loads(r.stdout)
        fits(d, fixture_json("0.12/image-inspect-single.json"))
        self.assertEqual(d[0]["index"]["digest"], b["CRUN_BENCH_DIGEST_SMALL"])
        self.assertStyle(r.stdout.decode(), pretty=False, escaped=True, sorted_keys=False)
        r = self.ok("image", "list", "--format", "json")
        fits(json.loads(r.stdout), fixture_json("1.2/image-list.json"))
        self.assertStyle(r.stdout.decode(), pretty=False, escaped=True)
        r = self.ok("image", "list", "--format", "json", CRUN_STANDIN_VERSION="0.12.0")
        fits(json.loads(r.stdout), fixture_json("0.12/image-list.json"))

    def test_03_all_platforms_with_attestations(self):
        b = self.b
        s = Standin("attest")
        try:
            r = s.run("image", "pull", "--progress", "none", b["CRUN_BENCH_IMAGE_MULTI"], CRUN_STANDIN_ATTESTATIONS="1")
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            d = json.loads(s.run("image", "inspect", b["CRUN_BENCH_IMAGE_MULTI"]).stdout)
            fits(d, fixture_json("1.2/image-inspect-index.json"))
            plats = [(v["platform"]["os"], v["platform"]["architecture"]) for v in d[0]["variants"]]
            self.assertEqual(plats, [("linux", "amd64"), ("linux", "arm64"), ("unknown", "unknown"), ("unknown", "unknown")])
            d = json.loads(s.run("image", "inspect", b["CRUN_BENCH_IMAGE_MULTI"], CRUN_STANDIN_VERSION="0.12.0").stdout)
            fits(d, fixture_json("0.12/image-inspect-index.json"))
        finally:
            s.run("image", "delete", "--all")
            s.cleanup()

    def test_04_run_exit_code_and_streams(self):
        b = self.b
        r = self.s.run("run", "--progress", "none", "--rm", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_SMALL"],
                       "sh", "-c", "echo out; echo err >&2; exit 7")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (7, b"out\n", b"err\n"))
        self.assertEqual(self.podman_ours(), [])

    def test_05_stdin_over_64k_byte_exact(self):
        b = self.b
        data = os.urandom(300 * 1024)
        r = self.s.run("run", "--progress", "none", "--rm", "-i", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_SMALL"],
                       "cat", input=data)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(len(r.stdout), len(data))
        self.assertTrue(r.stdout == data, "stdin echoed back byte-exact")
        self.assertEqual(self.podman_ours(), [])

    def test_06_detached_running_and_stopped_shapes(self):
        b = self.b
        r = self.ok("run", "-d", "--progress", "none", "--name", "web", "-e", "A=1", "--platform", "linux/amd64",
                    b["CRUN_BENCH_IMAGE_SMALL"], "sleep", "300")
        self.assertEqual(r.stdout, b"web\n")
        r = self.ok("inspect", "web")
        d = json.loads(r.stdout)
        fits(d, fixture_json("1.2/container-inspect-running.json"))
        self.assertStyle(r.stdout.decode(), pretty=True, escaped=True)
        self.assertEqual(d[0]["status"]["state"], "running")
        self.assertEqual(d[0]["configuration"]["initProcess"]["environment"], ["A=1"])
        self.assertTrue(d[0]["configuration"]["rosetta"])
        r = self.ok("ls", "--format", "json")
        fits(json.loads(r.stdout), fixture_json("1.2/container-list-running.json"))
        self.assertStyle(r.stdout.decode(), pretty=False, escaped=True)
        r = self.ok("ls", "--format", "json", CRUN_STANDIN_VERSION="1.4.1")
        fits(json.loads(r.stdout), fixture_json("1.4.1/container-list-running.json"))
        self.assertStyle(r.stdout.decode(), pretty=False, escaped=False)
        r = self.ok("inspect", "web", CRUN_STANDIN_VERSION="0.12.0")
        fits(json.loads(r.stdout), fixture_json("0.12/container-inspect-running.json"))
        r = self.s.run("rm", "web")
        self.assertEqual((r.returncode, r.stderr.decode()),
                         (1, 'Error: internalError: "failed to delete container" (cause: "invalidState: "container web is running and can not be deleted"")\n'))
        self.ok("run", "-d", "--progress", "none", "--name", "job", b["CRUN_BENCH_IMAGE_MULTI"], "sh", "-c", "exit 3")
        for _ in range(100):
            d = json.loads(self.ok("inspect", "job").stdout)
            if d[0]["status"]["state"] == "stopped":
                break
            time.sleep(0.2)
        fits(d, fixture_json("1.2/container-inspect-stopped.json"))
        self.assertEqual(d[0]["configuration"]["platform"], {"architecture": "arm64", "os": "linux"})
        r = self.ok("ls", "--format", "json")
        self.assertEqual([c["id"] for c in json.loads(r.stdout)], ["web"])
        r = self.ok("ls", "-a", "--format", "json")
        fits(json.loads(r.stdout), fixture_json("1.2/container-list-all.json"))
        r = self.ok("ls", "-a", "--format", "json", CRUN_STANDIN_VERSION="0.12.0")
        fits(json.loads(r.stdout), fixture_json("0.12/container-list-all.json"))
        r = self.s.run("inspect", "nosuch")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: container not found: nosuch\n"))
        r = self.s.run("inspect", "nosuch", CRUN_STANDIN_VERSION="0.12.0")
        self.assertEqual((r.returncode, r.stdout), (0, b"[]\n"))
        r = self.s.run("kill", "job")
        self.assertEqual((r.returncode, r.stderr.decode()),
                         (1, 'Error: internalError: "failed to kill container" (cause: "invalidState: "no runtime client exists: container is stopped"")\n'))
        r = self.ok("stop", "-t", "1", "web")
        self.assertEqual(r.stdout, b"web\n")
        r = self.ok("delete", "web", "job")
        self.assertEqual(r.stdout, b"web\njob\n")
        self.assertEqual(self.podman_ours(), [])

    def test_07_signals_forwarded(self):
        b = self.b
        p = self.s.popen("run", "--progress", "none", "--rm", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_SMALL"], "sh", "-c",
                         'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.2; done',
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.stdout.readline(), b"ready\n")
        time.sleep(0.5)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
        self.assertEqual((p.returncode, out), (42, b"got-term\n"), err)
        self.assertEqual(self.podman_ours(), [])

    def test_08_start_failures_and_platforms(self):
        b = self.b
        r = self.s.run("run", "--progress", "none", "--name", "nx", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_SMALL"], "nosuchcmd")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr.decode(), r'^Error: failed to start process nx in container nx \(cause: .*failed to find target executable nosuchcmd')
        self.assertEqual(self.podman_ours(), [])
        r = self.s.run("run", "--progress", "none", "--rm", b["CRUN_BENCH_IMAGE_SMALL"], "true")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: platform linux/arm64\n"))
        r = self.s.run("run", "--progress", "none", "--rm", "--platform", "linux/arm64", b["CRUN_BENCH_IMAGE_SMALL"], "true")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: platform linux/arm64/v8\n"))
        r = self.s.run("run", "--progress", "none", "--rm", b["CRUN_BENCH_IMAGE_SMALL"], "true", CRUN_STANDIN_VERSION="1.3.0")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: platform linux/arm64\n"))
        r = self.s.run("run", "--progress", "none", "--rm", "--platform", "linux/amd64", "-p", "80", b["CRUN_BENCH_IMAGE_SMALL"], "true")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: invalid publish value: 80\n"))
        r = self.s.run("run", "--progress", "none", "--rm", "--platform", "linux/amd64", "-m", "512", b["CRUN_BENCH_IMAGE_SMALL"], "true")
        self.assertEqual((r.returncode, r.stderr.decode()), (1, "Error: minimum memory amount allowed is 200 MiB (got 0 bytes)\n"))
        r = self.s.run("run", "--progress", "none", "--rm", "--platform", "linux/amd64", b["CRUN_BENCH_IMAGE_SMALL"], "true",
                       CRUN_STANDIN_ROSETTA="absent")
        self.assertEqual(r.returncode, 1)
        self.assertIn("NSPOSIXErrorDomain Code=2", r.stderr.decode())
        r = self.s.run("run", "--progress", "none", "--rm", b["CRUN_BENCH_IMAGE_ARM64"], "uname", "-m")
        self.assertEqual((r.returncode, r.stdout), (0, b"aarch64\n"), r.stderr)
        self.assertEqual(self.podman_ours(), [])

    def test_09_registry_login_and_keychain(self):
        b = self.b
        if not b.get("CRUN_BENCH_AUTH_REGISTRY"):
            self.skipTest("the bench has no login registry")
        s = Standin("auth")
        host, image = b["CRUN_BENCH_AUTH_REGISTRY"], b["CRUN_BENCH_IMAGE_PRIVATE"]
        try:
            r = s.run("image", "pull", "--progress", "none", "--platform", "linux/amd64", image)
            self.assertEqual((r.returncode, r.stderr.decode()),
                             (1, 'Error: HTTP request to http://%s/v2/private/small/manifests/1 failed with response: 401 '
                                 'Unauthorized. Reason: invalidArgument: "missing Bearer challenge in WWW-Authenticate header", '
                                 'no credentials found for host %s\n' % (host, host)))
            r = s.run("registry", "login", "--password-stdin", "-u", b["CRUN_BENCH_AUTH_USER"], host, input=b"wrong\n")
            self.assertEqual(r.returncode, 1)
            r = s.run("registry", "login", "--password-stdin", "-u", b["CRUN_BENCH_AUTH_USER"], host,
                      input=(b["CRUN_BENCH_AUTH_PASSWORD"] + "\n").encode())
            self.assertEqual((r.returncode, r.stderr), (0, b"Login succeeded\n"), r.stderr)
            r = s.run("image", "pull", "--progress", "none", "--platform", "linux/amd64", image, CRUN_STANDIN_KEYCHAIN="error")
            self.assertEqual((r.returncode, r.stderr.decode()),
                             (1, 'Error: error querying keychain for %s (cause: "queryError("query failure: '
                                 'unhandledError(status: -25308)")")\n' % host))
            for version in ("1.3.1", "1.4.1"):
                r = s.run("image", "pull", "--scheme", "http", "--progress", "none", "--platform", "linux/amd64", image,
                          CRUN_STANDIN_VERSION=version)
                self.assertEqual((r.returncode, r.stderr.decode()),
                                 (1, "Error: refusing insecure credential exchange: registry %s issued an authentication "
                                     "challenge over an insecure connection\n" % host))
            r = s.run("image", "pull", "--progress", "none", "--platform", "linux/amd64", image)
            self.assertEqual(r.returncode, 0, r.stderr)
            d = json.loads(s.run("image", "inspect", image).stdout)
            self.assertEqual(d[0]["variants"][0]["digest"], b["CRUN_BENCH_DIGEST_PRIVATE"])
            r = s.run("run", "--progress", "none", "--rm", "--platform", "linux/amd64", image, "cat", "/etc/bench-image")
            self.assertEqual((r.returncode, r.stdout), (0, b"private\n"), r.stderr)
            self.assertEqual(s.run("registry", "logout", host).returncode, 0)
            with open(s.log, encoding="utf-8") as f:
                self.assertNotIn(b["CRUN_BENCH_AUTH_PASSWORD"], f.read())
        finally:
            s.run("image", "delete", "--all")
            s.cleanup()


    def test_10_exec(self):
        b = self.b
        self.ok("run", "-d", "--progress", "none", "--name", "ex", "--platform", "linux/amd64",
                b["CRUN_BENCH_IMAGE_SMALL"], "sleep", "300")
        r = self.s.run("exec", "ex", "sh", "-c", "echo out; echo err >&2; exit 42")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (42, b"out\n", b"err\n"))
        r = self.s.run("exec", "-i", "ex", "cat", input=b"hello")
        self.assertEqual((r.returncode, r.stdout), (0, b"hello"), r.stderr.decode())
        r = self.s.run("exec", "-e", "A=1", "-e", "HOSTVAR", "-u", "1234", "-w", "/tmp", "ex",
                       "sh", "-c", 'echo "$A $HOSTVAR $(id -u) $(pwd)"', HOSTVAR="h")
        self.assertEqual((r.returncode, r.stdout), (0, b"1 h 1234 /tmp\n"), r.stderr.decode())
        r = self.s.run("exec", "-d", "ex", "sleep", "1")
        self.assertEqual((r.returncode, r.stdout), (0, b"ex\n"), r.stderr.decode())
        r = self.s.run("exec", "nosuch", "true")
        self.assertEqual((r.returncode, r.stderr), (1, b"Error: get failed: container nosuch not found\n"))
        r = self.s.run("exec", "ex")
        self.assertEqual((r.returncode, r.stderr), (1, b"Error: no command specified for exec\n"))
        r = self.s.run("exec", "ex", "crun-no-such-command")
        self.assertEqual(r.returncode, 70, r.stderr.decode())
        self.assertTrue(r.stderr.decode().startswith("container (stand-in): "), r.stderr)
        self.ok("stop", "-t", "0", "ex")
        r = self.s.run("exec", "ex", "true")
        self.assertEqual((r.returncode, r.stderr), (1, b"Error: container ex is not running\n"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
