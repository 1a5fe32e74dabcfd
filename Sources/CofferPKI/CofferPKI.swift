// CofferPKI: the local certificate authority. Today it issues the TLS certificate of `coffer serve`;
// the private CA capability (ACM-PCA) will grow here.
//
// It produces PEM bytes and never touches the file system; the server decides where they live.
