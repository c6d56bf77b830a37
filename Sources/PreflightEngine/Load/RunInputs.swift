import Foundation
import PreflightCore
import PreflightProbes

/// The files a run reads besides the apps': a baseline and a recording, each bounded and
/// decoded strictly; a problem is a usage error naming the file.
enum RunInputs {
    static func readRecording(_ path: String, files: any FileReading) throws(EngineError) -> EvidenceRecording {
        let data: Data
        do { data = try files.read(path, cap: BoundedFile.recordingCap) } catch { throw .usage("cannot read the recording: \(error)") }
        do {
            return try EvidenceRecording.decode(data)
        } catch {
            throw .usage("\(path): \(error)")
        }
    }

    static func readBaseline(_ path: String, files: any FileReading) throws(EngineError) -> Baseline {
        let data: Data
        do { data = try files.read(path, cap: BoundedFile.baselineCap) } catch { throw .usage("cannot read the baseline: \(error)") }
        do {
            return try Baseline.decode(data)
        } catch {
            throw .usage("\(path): \(error)")
        }
    }
}
