export AWS_ENDPOINT_URL=https://127.0.0.1:18443
export AWS_CA_BUNDLE=/tmp/readme-ex/data/tls/ca.pem
export AWS_ACCESS_KEY_ID=AKIA2WQNU2SLIYRNAQBV
export AWS_SECRET_ACCESS_KEY=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
export AWS_DEFAULT_REGION=us-east-1
