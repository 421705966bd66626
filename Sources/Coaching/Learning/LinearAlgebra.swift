import Foundation

/// Small dense linear algebra for fitting the negotiation models (a dozen features).
enum LinearAlgebra {
    /// Solves `A x = b` by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var y = b
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            y.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let f = m[row][col] / m[col][col]
                if f == 0 { continue }
                for k in col..<n { m[row][k] -= f * m[col][k] }
                y[row] -= f * y[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = y[row]
            for k in (row + 1)..<n { s -= m[row][k] * x[k] }
            x[row] = s / m[row][row]
        }
        return x
    }

    /// Weighted ridge normal equations: (XᵀWX + λI') w = XᵀWy, the intercept (column 0) unpenalised.
    static func weightedRidge(_ x: [[Double]], _ y: [Double], weights: [Double], lambda: Double) -> [Double]? {
        let d = x.first?.count ?? 0
        var a = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        var b = [Double](repeating: 0, count: d)
        for (i, row) in x.enumerated() {
            let w = weights[i]
            for j in 0..<d {
                b[j] += w * row[j] * y[i]
                for k in j..<d { a[j][k] += w * row[j] * row[k] }
            }
        }
        for j in 0..<d {
            for k in 0..<j { a[j][k] = a[k][j] }
            if j > 0 { a[j][j] += lambda }
        }
        return solve(a, b)
    }

    /// Least absolute deviations by iteratively reweighted least squares: robust to the
    /// dialogues whose extracted prices are wrong.
    static func leastAbsoluteDeviations(_ x: [[Double]], _ y: [Double], lambda: Double = 1e-3, iterations: Int = 60) -> [Double]? {
        var w = [Double](repeating: 1, count: y.count)
        var beta = weightedRidge(x, y, weights: w, lambda: lambda)
        for _ in 0..<iterations {
            guard let current = beta else { return nil }
            for i in y.indices { w[i] = 1 / max(abs(y[i] - dot(x[i], current)), 1e-3) }
            beta = weightedRidge(x, y, weights: w, lambda: lambda)
        }
        return beta
    }

    /// L2-regularised logistic regression by Newton's method.
    static func logistic(_ x: [[Double]], _ y: [Double], lambda: Double, iterations: Int = 30) -> [Double]? {
        let d = x.first?.count ?? 0
        var beta = [Double](repeating: 0, count: d)
        for _ in 0..<iterations {
            var grad = [Double](repeating: 0, count: d)
            var hess = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
            for (i, row) in x.enumerated() {
                let p = sigmoid(dot(row, beta))
                let r = p - y[i]
                let s = p * (1 - p)
                for j in 0..<d {
                    grad[j] += r * row[j]
                    for k in j..<d { hess[j][k] += s * row[j] * row[k] }
                }
            }
            for j in 0..<d {
                for k in 0..<j { hess[j][k] = hess[k][j] }
                if j > 0 {
                    grad[j] += lambda * beta[j]
                    hess[j][j] += lambda
                }
                hess[j][j] += 1e-9
            }
            guard let step = solve(hess, grad) else { return nil }
            for j in 0..<d { beta[j] -= step[j] }
        }
        return beta
    }

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }
}

@inline(__always) func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}
