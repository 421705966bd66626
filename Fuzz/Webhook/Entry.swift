import FuzzSupport

/// The executable's entry (SwiftPM calls `<target>_main`): libFuzzer when linked in, else a
/// replay of the files given. In its own file so that the target has no top-level code, which
/// the fuzzer build (`-parse-as-library`) does not allow.
@_cdecl("FuzzWebhook_main")
public func fuzzWebhookMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.main(argc, argv) { data, size in fuzzWebhook(data, size) }
}
