import Foundation

/// Results filled in by concurrent workers, read once they are done. Every
/// access takes the lock: even when no two workers share a slot, writing an
/// element of a Swift array mutates the array. Used by TrainingData,
/// Inspection and make-report, hence `package`.
package final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    package subscript(index: Int) -> Result<Value, any Error>? {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }
}
