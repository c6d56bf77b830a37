/// "[12/40 apps] 3 not ready, 2 waiting" in the status line while a fleet runs; nothing of it
/// reaches standard output or the report files.
actor FleetProgress {
    let total: Int
    let diagnostics: any Diagnostics
    private var finished = 0
    private var failing = 0
    /// Apps between --wait attempts, by name.
    private var waiting: Set<String> = []

    init(total: Int, diagnostics: any Diagnostics) {
        self.total = total
        self.diagnostics = diagnostics
    }

    /// Shown from the start, so a long first app is not a blank terminal.
    func start() {
        redraw()
    }

    /// `app` is waiting for its records or certificates (--wait).
    func waits(_ app: String) {
        guard waiting.insert(app).inserted else { return }
        redraw()
    }

    func finished(_ app: String, failing isFailing: Bool) {
        finished += 1
        if isFailing { failing += 1 }
        waiting.remove(app)
        redraw()
    }

    private func redraw() {
        var line = "[\(finished)/\(total) apps]"
        if finished > 0 { line += " \(failing) not ready" }
        if !waiting.isEmpty { line += (finished > 0 ? "," : "") + " \(waiting.count) waiting" }
        diagnostics.status(line)
    }

    func done() {
        diagnostics.status(nil)
    }
}
