/// Why the database could not be opened, in words an operator can act on.
package enum StorageOpenError: Error, CustomStringConvertible {
    case directory(String, String)
    case database(String, String)

    package var description: String {
        switch self {
        case .directory(let path, let reason):
            return "cannot use the data directory \(path): \(reason). Choose another with --data-dir (LIVEHUB_DATA_DIR) or fix its permissions."
        case .database(let path, let reason):
            return "cannot open the database \(path): \(reason). Is another LiveHub using it, or is the file damaged?"
        }
    }
}
