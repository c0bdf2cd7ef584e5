import MklnkCore
import Testing

@Suite("when: conditions against injected host facts")
struct ConditionTests {
    static let plan = """
        version: 1
        links:
          always: t
          os-linux: { target: t, when: { os: linux } }
          os-macos: { target: t, when: { os: macos } }
          os-darwin: { target: t, when: { os: Darwin } }
          os-list: { target: t, when: { os: [macos, linux] } }
          arch-x86: { target: t, when: { arch: x86_64 } }
          arch-amd64: { target: t, when: { arch: amd64 } }
          arch-arm64: { target: t, when: { arch: aarch64 } }
          host-ci: { target: t, when: { host: "ci-*" } }
          host-exact: { target: t, when: { host: ci-runner-7 } }
          host-laptop: { target: t, when: { host: "laptop-*" } }
          host-list: { target: t, when: { host: ["laptop-*", "*-runner-?"] } }
          user-tess: { target: t, when: { user: tess } }
          user-root: { target: t, when: { user: root } }
          env-ci: { target: t, when: { env: CI } }
          env-display: { target: t, when: { env: DISPLAY } }
          env-list: { target: t, when: { env: [CI, EDITOR] } }
          env-list-one-unset: { target: t, when: { env: [CI, DISPLAY] } }
          env-value: { target: t, when: { env: { CI: "true" } } }
          env-value-plain: { target: t, when: { env: { CI: true } } }
          env-value-wrong: { target: t, when: { env: { CI: "false" } } }
          env-value-unset: { target: t, when: { env: { DISPLAY: ":0" } } }
          all-hold: { target: t, when: { os: linux, arch: x86_64, host: "ci-*", user: tess, env: { CI: "true" } } }
          one-fails: { target: t, when: { os: linux, arch: x86_64, user: root } }

        """

    @Test func entriesWhoseConditionsHoldOnALinuxCIRunner() throws {
        let (plan, diagnostics) = load(Self.plan)
        #expect(diagnostics.isEmpty)
        #expect(try #require(plan).keys == [
            "always", "os-linux", "os-list", "arch-x86", "arch-amd64", "host-ci", "host-exact", "host-list",
            "user-tess", "env-ci", "env-list", "env-value", "env-value-plain", "all-hold",
        ])
    }

    @Test func entriesWhoseConditionsHoldOnAMacLaptop() throws {
        let facts = HostFacts(os: "macos", arch: "arm64", hostname: "laptop-tess", user: "root", home: "/Users/tess",
                              environment: ["DISPLAY": ":0", "CI": "false"])
        let (plan, diagnostics) = load(Self.plan, facts: facts)
        #expect(diagnostics.isEmpty)
        #expect(try #require(plan).keys == [
            "always", "os-macos", "os-darwin", "os-list", "arch-arm64", "host-laptop", "host-list", "user-root",
            "env-ci", "env-display", "env-list-one-unset", "env-value-wrong", "env-value-unset",
        ])
    }

    @Test func entriesSkippedByWhenAreStillChecked() {
        let facts = HostFacts(os: "macos", arch: "arm64", hostname: "mac", user: "u", home: "/Users/u", environment: [:])
        #expect(messages("""
            version: 1
            links:
              a: { target: t, kind: hardlink, relative: true, when: { os: linux } }
              ../b: { target: t, when: { os: linux } }

            """, facts: facts) == [
            "plan.yaml:3:45: error: 'relative: true' applies to symlinks only; this link is a hardlink",
            "plan.yaml:4:3: error: link path '../b' is outside root /Users/u",
        ])
    }

    /// An entry's own `when` replaces the default one, as every other option does (SPEC §1).
    @Test func entryWhenReplacesDefaultWhen() throws {
        var ci = HostFacts.test
        ci.environment["MKLNK_CI"] = "true"
        let plan = try #require(load("""
            version: 1
            defaults: { when: { env: MKLNK_GUI } }
            links:
              a: t
              b: { target: t, when: { env: MKLNK_CI } }

            """, facts: ci).plan)
        // Before the change both had to hold, and `b` was left out without MKLNK_GUI.
        #expect(plan.keys == ["b"])
        var display = HostFacts.test
        display.environment["MKLNK_GUI"] = ":0"
        let other = try #require(load("""
            version: 1
            defaults: { when: { env: MKLNK_GUI } }
            links:
              a: t
              b: { target: t, when: { env: MKLNK_CI } }

            """, facts: display).plan)
        #expect(other.keys == ["a"])
    }

    @Test func unknownOSAndConditionAreErrors() {
        #expect(messages("""
            version: 1
            links:
              a: { target: t, when: { os: linus } }
              b: { target: t, when: { hosts: x } }
              c: { target: t, when: linux }

            """) == [
            "plan.yaml:3:31: error: unknown os 'linus'; expected one of linux, macos, darwin, freebsd, openbsd, netbsd,"
                + " windows; did you mean 'linux'?",
            "plan.yaml:4:27: error: unknown condition 'hosts'; did you mean 'host'?",
            "plan.yaml:5:25: error: 'when' must be a mapping (os, arch, host, user, env); found a string",
        ])
    }
}
