/// The one place the version is written: `mklnk --version` prints it and `make dist` reads it
/// from here to name the release tarball.
let mklnkVersion = "0.1.0"
