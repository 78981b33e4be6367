import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressBucket, CLIENT_ADDRESS_HEADER, clientAddress, clientAddressOf, stampClientAddresses } from "./client-address";

describe("client address", () => {
  it("is the peer, unless the peer is a reverse proxy on this machine: then the address it forwarded last", () => {
    expect(clientAddressOf("192.168.1.7", "6.6.6.6")).toBe("192.168.1.7");
    expect(clientAddressOf("127.0.0.1", "6.6.6.6, 192.168.1.7")).toBe("192.168.1.7");
    expect(clientAddressOf("::ffff:127.0.0.1", "192.168.1.7")).toBe("192.168.1.7");
    expect(clientAddressOf("::1", ["6.6.6.6", "2001:db8::1"])).toBe("2001:db8::1");
    expect(clientAddressOf("127.0.0.1", "not an address")).toBe("127.0.0.1");
    expect(clientAddressOf("127.0.0.1", undefined)).toBe("127.0.0.1");
    expect(clientAddressOf(undefined, "6.6.6.6")).toBe("unknown");
  });

  it("counts IPv4 (also IPv4-mapped) as is and IPv6 per /64", () => {
    expect(addressBucket("192.168.1.7")).toBe("192.168.1.7");
    expect(addressBucket("::ffff:192.168.1.7")).toBe("192.168.1.7");
    expect(addressBucket("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:DB8:1::1")).toBe("2001:db8:1:0::/64");
    expect(addressBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("garbage")).toBe("unknown");
  });

  describe("stamped on each request as it arrives", () => {
    let server: Server;
    let stop: () => void;
    let url = "";
    beforeAll(async () => {
      stop = stampClientAddresses();
      server = createServer((request, response) => {
        const headers = new Headers(request.headers as Record<string, string>);
        response.end(clientAddress(headers));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => {
      stop();
      server.close();
    });

    it("overwrites a client's own value of the header", async () => {
      expect(await (await fetch(url)).text()).toBe("127.0.0.1");
      expect(await (await fetch(url, { headers: { [CLIENT_ADDRESS_HEADER]: "6.6.6.6" } })).text()).toBe("127.0.0.1");
      expect(await (await fetch(url, { headers: { "X-Forwarded-For": "203.0.113.9" } })).text()).toBe("203.0.113.9");
    });
  });

  it("without the stamping, every request counts as one address whatever it sends", () => {
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: "6.6.6.6" }))).toBe("unknown");
  });
});
