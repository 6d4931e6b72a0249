package live

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/lifecycle"
	"github.com/d360-terraform/terraform-provider-d360/internal/provider"
)

// target is the live number as the lifecycles see it. The provider holds
// the key from D360_API_KEY, so that no configuration file the CLI reads
// or writes holds it; its default timeouts and waits are the real ones.
func (s *liveSuite) target(t *testing.T) lifecycle.Target {
	t.Setenv("D360_API_KEY", s.settings.key)
	return lifecycle.Target{
		Factories: map[string]func() (tfprotov6.ProviderServer, error){
			"d360": providerserver.NewProtocol6WithError(provider.New("live")()),
		},
		Provider:   fmt.Sprintf("provider \"d360\" {\n  base_url = %q\n}\n", s.settings.baseURL),
		ImportID:   client.Fingerprint(s.settings.key),
		API:        s.num,
		URL:        s.settings.destinationURL,
		WebhookURL: s.primaryURL,
		Prefix:     namePrefix,
		Wait:       waitAtMost,
	}
}

// TestLiveMultiWebhook walks the multi-webhook lifecycle on the number.
func TestLiveMultiWebhook(t *testing.T) {
	s := liveRun(t)
	resource.Test(t, lifecycle.MultiWebhook(t, s.target(t)))
}

// TestLiveWebhook walks the primary-webhook lifecycle on the number, with
// the second opt-in only.
func TestLiveWebhook(t *testing.T) {
	s := liveRun(t)
	if s.primaryURL == "" {
		t.Skipf("primary webhook left alone: %s", s.snap.primarySkip)
	}
	resource.Test(t, lifecycle.Webhook(t, s.target(t)))
}
