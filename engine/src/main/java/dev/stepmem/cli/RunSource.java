package dev.stepmem.cli;

import dev.stepmem.calibrate.HostInfo;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileRegistry;

/**
 * Whether a run's numbers are measured on this machine or modeled on a profile, and which
 * profile: a modeled run names the one it modeled; a measured CPU run names the profile this
 * CPU matches (the calibrated cpu-host), if any.
 */
record RunSource(String kind, DeviceProfile profile) {

    static RunSource modeled(DeviceProfile profile) {
        return new RunSource("modeled", profile);
    }

    static RunSource measured(ProfileRegistry registry) {
        DeviceProfile match;
        try {
            match = registry.match(HostInfo.read().cpuName()).orElse(null);
        } catch (RuntimeException e) { // a broken profile folder must not stop a measurement
            match = null;
        }
        return new RunSource("measured", match);
    }

    String profileName() {
        return profile == null ? "" : profile.name();
    }

    String profileHash() {
        return profile == null ? "" : profile.shortHash();
    }

    String describe() {
        if (kind.equals("modeled")) {
            return "source: modeled (not a measurement) on profile " + profile.name() + " (" + profile.device()
                    + ", " + profile.file() + ", sha256 " + profile.shortHash() + ")";
        }
        return "source: measured on this machine" + (profile == null ? ""
                : " (matches profile " + profile.name() + ", sha256 " + profile.shortHash() + ")");
    }
}
