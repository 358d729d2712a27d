package dev.gantry.engine.notify;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Sends the notification as a plain-text email over SMTP (Jakarta Mail). With {@code starttls} the connection must
 * switch to TLS before anything else is said: a server that does not offer STARTTLS is refused rather than sent
 * the password in clear. With a user, it logs in (AUTH) after STARTTLS.
 */
public final class EmailChannel implements Channel {

    /** A mail server as resolved at send time: user and password may have come from secrets. */
    public record Server(String host, int port, String user, String password, boolean starttls) {
    }

    private final Server server;
    private final String from;
    private final List<String> to;
    private final Duration timeout;

    EmailChannel(Server server, String from, List<String> to, Duration timeout) {
        this.server = server;
        this.from = from;
        this.to = List.copyOf(to);
        this.timeout = timeout;
    }

    @Override
    public String kind() {
        return "email";
    }

    @Override
    public String target() {
        return String.join(",", to) + " via " + server.host() + ":" + server.port();
    }

    @Override
    public String send(Notification notification, String deliveryId) throws DeliveryException {
        Session session = Session.getInstance(properties());
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            for (String recipient : to) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
            }
            message.setSubject(notification.summary(), StandardCharsets.UTF_8.name());
            message.setText(body(notification), StandardCharsets.UTF_8.name());
            message.setHeader("X-Gantry-Event", notification.event().yamlName());
            message.setHeader("X-Gantry-Delivery", deliveryId);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(server.host(), server.port(), server.user(), server.password());
                transport.sendMessage(message, message.getAllRecipients());
            }
            return "sent to " + to.size() + " recipient" + (to.size() == 1 ? "" : "s");
        } catch (AddressException e) {
            throw new DeliveryException("bad address: " + e.getMessage(), false, e);
        } catch (AuthenticationFailedException e) {
            throw new DeliveryException("the mail server refused the login", false, e);
        } catch (MessagingException e) {
            throw new DeliveryException(describe(e), true, e);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("mail.smtp.host", server.host());
        p.put("mail.smtp.port", String.valueOf(server.port()));
        String millis = String.valueOf(timeout.toMillis());
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        p.put("mail.smtp.auth", String.valueOf(server.user() != null));
        p.put("mail.smtp.starttls.enable", String.valueOf(server.starttls()));
        p.put("mail.smtp.starttls.required", String.valueOf(server.starttls()));
        return p;
    }

    private static String body(Notification n) {
        StringBuilder text = new StringBuilder(n.summary()).append("\n\n");
        text.append("event:       ").append(n.event().yamlName()).append('\n');
        text.append("pipeline:    ").append(n.pipeline()).append('\n');
        if (n.build() != null) {
            text.append("build:       #").append(n.build()).append('\n');
        }
        if (n.environment() != null) {
            text.append("environment: ").append(n.environment()).append('\n');
        }
        if (n.release() != null) {
            text.append("release:     ").append(n.release()).append('\n');
        }
        text.append("status:      ").append(n.status()).append('\n');
        text.append("at:          ").append(n.at()).append('\n');
        n.links().forEach((name, url) -> text.append(name).append(": ").append(url).append('\n'));
        return text.toString();
    }

    private static String describe(MessagingException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return root == e || root.getMessage() == null ? message
                : message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
