/** Set by Vigil's server on every request from the socket's address; the only client-address header Vigil trusts. */
export const CLIENT_IP_HEADER = "x-vigil-client-ip";
