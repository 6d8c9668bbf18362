package io.difflab.plugins.dalle2;

/**
 * Spherical interpolation between two embeddings (Shoemake 1985), as unCLIP interpolates CLIP image
 * embeddings (Ramesh et al. 2022, sec. 3.2): z_θ = sin((1 − θ)Ω)/sin Ω · a + sin(θΩ)/sin Ω · b with
 * cos Ω = â·b̂; along the straight line when a and b are (nearly) parallel.
 */
final class Slerp {

    private Slerp() {
    }

    /** z_θ between {@code a} (θ = 0) and {@code b} (θ = 1), vectors of one length. */
    static float[] between(float[] a, float[] b, double theta) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of " + a.length + " and " + b.length + " values");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
        double omega = Math.acos(cos);
        double wa;
        double wb;
        if (Math.sin(omega) < 1e-6) {
            wa = 1 - theta;
            wb = theta;
        } else {
            wa = Math.sin((1 - theta) * omega) / Math.sin(omega);
            wb = Math.sin(theta * omega) / Math.sin(omega);
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }
}
