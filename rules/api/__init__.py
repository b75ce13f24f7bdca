"""HTTP and gRPC API rules: clients, servers, requests and responses."""

# Model ids of the packages HTTP rules look at.
HTTP_PACKAGES = ("net/http",)
