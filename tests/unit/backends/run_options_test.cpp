#include <crun/backends/run_options.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::backends {
namespace {

// The message of the usage error `f` throws.
template <typename F>
std::string error_of(F&& f)
{
  const Error error = test::error_of(std::forward<F>(f));
  EXPECT_EQ(error.code(), Errc::usage);
  return error.message();
}

TEST(RunOptions, MemorySizesInDockersUnits)
{
  EXPECT_EQ(parse_memory_size("-m", "1024"), 1024);
  EXPECT_EQ(parse_memory_size("-m", "512b"), 512);
  EXPECT_EQ(parse_memory_size("-m", "4k"), 4096);
  EXPECT_EQ(parse_memory_size("-m", "64m"), 64 * 1024 * 1024);
  EXPECT_EQ(parse_memory_size("-m", "64M"), 64 * 1024 * 1024);
  EXPECT_EQ(parse_memory_size("-m", "64mb"), 64 * 1024 * 1024);
  EXPECT_EQ(parse_memory_size("-m", "1GiB"), 1024LL * 1024 * 1024);
  EXPECT_EQ(parse_memory_size("-m", "1.5g"), 1536LL * 1024 * 1024);
  EXPECT_EQ(parse_memory_size("-m", "2t"), 2LL << 40);
  for (const char* bad : {"", "m", "-1m", "0", "1x", "1.2.3m", "1bb", ".5m", "1mm"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(error_of([&] { parse_memory_size("--memory", bad); }),
              fmt::format("invalid --memory \"{}\": expected a positive size such as 512m or 1g "
                          "(units b, k, m, g, t, p)",
                          bad));
  }
}

TEST(RunOptions, CpusAreNanoCpus)
{
  EXPECT_EQ(parse_cpus("1"), 1'000'000'000);
  EXPECT_EQ(parse_cpus("1.5"), 1'500'000'000);
  EXPECT_EQ(parse_cpus("0.25"), 250'000'000);
  EXPECT_EQ(parse_cpus(".5"), 500'000'000);
  for (const char* bad : {"", "0", "0.0", "-1", "1.", "x", "1.2.3", "1.0000000001", "+1"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(
      error_of([&] { parse_cpus(bad); }),
      fmt::format("invalid --cpus \"{}\": expected a positive number of CPUs such as 1.5", bad));
  }
}

TEST(RunOptions, Ulimits)
{
  EXPECT_EQ(parse_ulimit("nofile=512:1024"), (UlimitOption{"nofile", 512, 1024}));
  EXPECT_EQ(parse_ulimit("nproc=64"), (UlimitOption{"nproc", 64, 64}));
  EXPECT_EQ(parse_ulimit("core=-1"), (UlimitOption{"core", -1, -1}));
  EXPECT_EQ(error_of([] { parse_ulimit("nofile"); }),
            "invalid --ulimit \"nofile\": expected name=soft[:hard]");
  EXPECT_TRUE(error_of([] {
                parse_ulimit("files=1");
              }).starts_with("invalid --ulimit \"files=1\": unknown limit \"files\" ("));
  EXPECT_EQ(error_of([] { parse_ulimit("nofile=a:1"); }),
            "invalid --ulimit \"nofile=a:1\": soft and hard must be integers (-1: unlimited)");
  EXPECT_EQ(error_of([] { parse_ulimit("nofile=10:5"); }),
            "invalid --ulimit \"nofile=10:5\": the soft limit is above the hard limit");
}

TEST(RunOptions, AddHost)
{
  EXPECT_EQ(parse_add_host("db:10.0.0.2"), (HostEntry{"db", "10.0.0.2"}));
  EXPECT_EQ(parse_add_host("db=10.0.0.2"), (HostEntry{"db", "10.0.0.2"}));
  EXPECT_EQ(parse_add_host("v6:::1"), (HostEntry{"v6", "::1"}));
  EXPECT_EQ(parse_add_host("v6=[fe80::1]"), (HostEntry{"v6", "fe80::1"}));
  EXPECT_EQ(parse_add_host("gw:host-gateway"), (HostEntry{"gw", "host-gateway"}));
  EXPECT_EQ(error_of([] { parse_add_host("db"); }), "invalid --add-host \"db\": expected host:ip");
  EXPECT_EQ(error_of([] { parse_add_host(":1.2.3.4"); }),
            "invalid --add-host \":1.2.3.4\": expected host:ip");
  EXPECT_EQ(error_of([] { parse_add_host("db:1.2.3.400"); }),
            "invalid --add-host \"db:1.2.3.400\": \"1.2.3.400\" is not an IP address (or "
            "host-gateway)");
}

TEST(RunOptions, Devices)
{
  EXPECT_EQ(parse_device("/dev/fuse"), (DeviceOption{"/dev/fuse", "/dev/fuse", "rwm"}));
  EXPECT_EQ(parse_device("/dev/fuse:r"), (DeviceOption{"/dev/fuse", "/dev/fuse", "r"}));
  EXPECT_EQ(parse_device("/dev/sda:/dev/xvda"), (DeviceOption{"/dev/sda", "/dev/xvda", "rwm"}));
  EXPECT_EQ(parse_device("/dev/sda:/dev/xvda:rw"), (DeviceOption{"/dev/sda", "/dev/xvda", "rw"}));
  EXPECT_EQ(error_of([] { parse_device("dev/fuse"); }),
            "invalid --device \"dev/fuse\": device paths must be absolute");
  EXPECT_EQ(error_of([] { parse_device("/dev/a:/dev/b:rx"); }),
            "invalid --device \"/dev/a:/dev/b:rx\": permissions \"rx\" are not a mix of r, w, m");
  EXPECT_EQ(error_of([] { parse_device("/a:/b:r:x"); }),
            "invalid --device \"/a:/b:r:x\": expected HOST[:CONTAINER[:PERMS]]");
}

TEST(RunOptions, Expose)
{
  EXPECT_EQ(parse_expose("80"), (std::vector<ExposedPort>{{80, "tcp"}}));
  EXPECT_EQ(parse_expose("53/udp"), (std::vector<ExposedPort>{{53, "udp"}}));
  EXPECT_EQ(parse_expose("8000-8002"),
            (std::vector<ExposedPort>{{8000, "tcp"}, {8001, "tcp"}, {8002, "tcp"}}));
  EXPECT_EQ(error_of([] { parse_expose("0"); }),
            "invalid --expose \"0\": expected PORT or PORT-PORT (1-65535)[/PROTO]");
  EXPECT_EQ(error_of([] { parse_expose("90-80"); }),
            "invalid --expose \"90-80\": expected PORT or PORT-PORT (1-65535)[/PROTO]");
  EXPECT_EQ(error_of([] { parse_expose("80/icmp"); }),
            "invalid --expose \"80/icmp\": protocol must be tcp, udp or sctp");
}

TEST(RunOptions, Tmpfs)
{
  EXPECT_EQ(parse_tmpfs("/run"), (TmpfsOption{"/run", ""}));
  EXPECT_EQ(parse_tmpfs("/run:size=64m,mode=1777"), (TmpfsOption{"/run", "size=64m,mode=1777"}));
  EXPECT_EQ(error_of([] { parse_tmpfs("run"); }),
            "invalid --tmpfs \"run\": the container path must be absolute");
}

TEST(RunOptions, MountCsvInDockersSpellings)
{
  using Type = MountOption::Type;
  MountOption bind{Type::bind, "/host", "/ctr", true, {}, {}, "", false};
  EXPECT_EQ(parse_mount_option("type=bind,source=/host,target=/ctr,readonly"), bind);
  EXPECT_EQ(parse_mount_option("type=bind,src=/host,dst=/ctr,ro=true"), bind);
  EXPECT_EQ(parse_mount_option("type=bind,src=/host,destination=/ctr,readonly=1"), bind);
  MountOption volume{Type::volume, "data", "/data", false, {}, {}, "", true};
  EXPECT_EQ(parse_mount_option("source=data,target=/data,volume-nocopy"), volume);
  MountOption tmpfs{Type::tmpfs, "", "/scratch", false, 64 * 1024 * 1024, 01777, "", false};
  EXPECT_EQ(parse_mount_option("type=tmpfs,target=/scratch,tmpfs-size=64m,tmpfs-mode=1777"), tmpfs);
  MountOption shared{Type::bind, "/h", "/c", false, {}, {}, "rshared", false};
  EXPECT_EQ(parse_mount_option("type=bind,source=/h,target=/c,bind-propagation=rshared"), shared);
  EXPECT_EQ(parse_mount_option("type=bind,source=/h,target=/c,readonly=false").read_only, false);
}

TEST(RunOptions, BadMountsNameTheValue)
{
  const struct {
    const char* text;
    const char* message;
  } rows[] = {
    {"type=nfs,target=/x", "type \"nfs\" is not bind, volume or tmpfs"},
    {"type=bind,source=/h", "no target (target=/path/in/container)"},
    {"type=bind,source=/h,target=rel", "the target \"rel\" must be absolute"},
    {"type=bind,target=/c", "a bind mount needs an absolute source (source=/host/path)"},
    {"type=tmpfs,source=x,target=/c", "a tmpfs mount takes no source"},
    {"type=bind,source=/h,target=/c,tmpfs-size=1m",
     "an option of another mount type on a bind mount"},
    {"type=tmpfs,target=/c,tmpfs-mode=9", "tmpfs-mode \"9\" is not an octal mode"},
    {"type=volume,source=a/b,target=/c",
     "\"a/b\" is not a volume name; for a host path use type=bind"},
    {"type=bind,source=/h,target=/c,readonly=maybe", "readonly=\"maybe\" is not true or false"},
    {"type=bind,source,target=/c", "\"source\" needs a value"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    EXPECT_EQ(error_of([&] { parse_mount_option(row.text); }),
              fmt::format("invalid --mount \"{}\": {}", row.text, row.message));
  }
  EXPECT_TRUE(
    error_of([] { parse_mount_option("type=bind,source=/h,target=/c,nope=1"); })
      .starts_with(
        "invalid --mount \"type=bind,source=/h,target=/c,nope=1\": unknown field \"nope\""));
}

TEST(RunOptions, SecurityOpts)
{
  SecurityOptions opts;
  add_security_opt(opts, "no-new-privileges");
  add_security_opt(opts, "seccomp=unconfined");
  add_security_opt(opts, "apparmor=unconfined");
  add_security_opt(opts, "label=disable");
  add_security_opt(opts, "label:type:spc_t");
  EXPECT_TRUE(opts.no_new_privileges);
  EXPECT_EQ(opts.seccomp, "unconfined");
  EXPECT_EQ(opts.apparmor, "unconfined");
  EXPECT_EQ(opts.labels, (std::vector<std::string>{"disable", "type:spc_t"}));
  add_security_opt(opts, "no-new-privileges=false");
  EXPECT_FALSE(opts.no_new_privileges);
  EXPECT_EQ(error_of([&] { add_security_opt(opts, "seccomp"); }),
            "invalid --security-opt \"seccomp\": expected no-new-privileges, seccomp=PROFILE, "
            "apparmor=PROFILE or label=VALUE");
  EXPECT_EQ(error_of([&] { add_security_opt(opts, "systempaths=unconfined"); }),
            "invalid --security-opt \"systempaths=unconfined\": unknown \"systempaths\" "
            "(crun-any reads no-new-privileges, seccomp, apparmor, label)");
}

TEST(RunOptions, AttachRestartLogDriverStopSignal)
{
  AttachStreams streams;
  add_attach(streams, "STDOUT");
  add_attach(streams, "stderr");
  EXPECT_EQ(streams, (AttachStreams{false, true, true}));
  EXPECT_EQ(error_of([&] { add_attach(streams, "stdall"); }),
            "invalid --attach \"stdall\": expected stdin, stdout or stderr");
  check_restart("no");
  check_restart("");
  EXPECT_EQ(error_of([] { check_restart("always"); }).substr(0, 57),
            "--restart always: crun-any accepts only --restart no; a r");
  check_log_driver("none");
  EXPECT_EQ(error_of([] { check_log_driver("json-file"); }).substr(0, 63),
            "--log-driver json-file: crun-any accepts only --log-driver none");
  EXPECT_EQ(parse_stop_signal("SIGTERM"), 15);
  EXPECT_EQ(parse_stop_signal("usr1"), 10);
  EXPECT_EQ(parse_stop_signal("9"), 9);
  EXPECT_EQ(error_of([] { parse_stop_signal("SIGNOPE"); }),
            "invalid --stop-signal \"SIGNOPE\": not a signal name (SIGTERM) or number (1-64)");
  EXPECT_EQ(error_of([] { parse_stop_signal("65"); }),
            "invalid --stop-signal \"65\": not a signal name (SIGTERM) or number (1-64)");
}

} // namespace
} // namespace crun::backends
