package dev.gantry.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gantry.core.pipeline.NotifyDef;
import dev.gantry.core.pipeline.Value;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The email channel against a real SMTP server (GreenMail) in this process, on a port from the OS, with a user that
 * must log in. GreenMail's SMTP does not offer STARTTLS, so these tests send with {@code starttls: false}, and one
 * checks that {@code starttls: true} refuses such a server rather than log in over a plain connection.
 */
class EmailChannelTest extends ChannelContract {

    private static final String PASSWORD = "smtp-pass-93kq";

    private GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.withConfiguration(GreenMailConfiguration.aConfig().withUser("ci", PASSWORD));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private NotifyDef to(int port, boolean starttls, Value password) {
        return Defs.email(new NotifyDef.Smtp("127.0.0.1", port, Value.of("ci"), password, starttls),
                List.of("oncall@example.test", "lead@example.test"), Defs.all());
    }

    @Override
    NotifyDef toReceiver() {
        return to(smtp.getSmtp().getPort(), false, Defs.secret("smtp", 2));
    }

    @Override
    NotifyDef toClosedPort(int port) {
        return to(port, false, Defs.secret("smtp", 2));
    }

    @Override
    Map<String, String> secretValues() {
        return Map.of("smtp", PASSWORD, "wrong", "not-the-password");
    }

    @Override
    List<String> mustNotShow() {
        return List.of(PASSWORD);
    }

    @Override
    void assertReceivedOnce(Notification sent) throws Exception {
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient
        MimeMessage message = received[0];
        assertThat(message.getSubject()).isEqualTo(sent.summary());
        assertThat(message.getFrom()[0].toString()).isEqualTo("ci@gantry.test");
        assertThat(List.of(message.getAllRecipients()).stream().map(Object::toString))
                .containsExactlyInAnyOrder("oncall@example.test", "lead@example.test");
        assertThat(message.getHeader("X-Gantry-Event")[0]).isEqualTo("deploy_rolled_back");
        assertThat(message.getHeader("X-Gantry-Delivery")[0]).isEqualTo(DELIVERY_ID);
        assertThat(GreenMailUtil.getBody(message)).contains("environment: production")
                .contains("release:     4").contains("https://ci.example/pipelines/tts/builds/12");
    }

    @Test
    void aRefusedLoginIsGivenUpAtOnceAndNothingIsSent() throws Exception {
        Channel channel = channel(to(smtp.getSmtp().getPort(), false, Defs.secret("wrong", 2)));

        assertThatThrownBy(() -> channel.send(Defs.rolledBack(), DELIVERY_ID))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsRequiredRefusesAServerThatDoesNotOfferIt() throws Exception {
        Channel channel = channel(to(smtp.getSmtp().getPort(), true, Defs.secret("smtp", 2)));

        assertThatThrownBy(() -> channel.send(Defs.rolledBack(), DELIVERY_ID))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("STARTTLS");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
