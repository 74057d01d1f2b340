package dk.sdu.cloud.im.spi.network;

/** The transport protocols a public IP's firewall can open, as UCloud names them. */
public enum IpProtocol {
    TCP,
    UDP
}
